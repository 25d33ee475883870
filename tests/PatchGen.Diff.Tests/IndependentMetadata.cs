using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using Emit = System.Reflection.Emit;

namespace PatchGen.Diff.Tests;

/// <summary>
/// A second opinion on an assembly, read with System.Reflection.Metadata and sharing no code with the
/// engine (which reads with Mono.Cecil): the documentation IDs of its members, and for every method a
/// canonical text of its own IL in which each metadata token is replaced by the name it resolves to.
/// Tokens of unchanged code shift between two builds whenever anything is added before them, so raw
/// IL bytes alone rarely match; with tokens resolved, two methods with equal texts have the same code.
/// </summary>
public sealed class IndependentMetadata
{
    private static readonly Dictionary<ushort, Emit.OpCode> OpCodes = typeof(Emit.OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (Emit.OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value);

    private readonly PEReader _pe;
    private readonly MetadataReader _md;
    private readonly NameProvider _ids;
    private readonly NameProvider _exact;

    private IndependentMetadata(byte[] image)
    {
        _pe = new PEReader(ImmutableArray.Create(image));
        _md = _pe.GetMetadataReader();
        _ids = new NameProvider(this, withModifiers: false);
        _exact = new NameProvider(this, withModifiers: true);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var methods = new Dictionary<string, MethodFacts>(StringComparer.Ordinal);
        var accessorOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var handle in _md.TypeDefinitions)
        {
            var type = _md.GetTypeDefinition(handle);
            if (IsGenerated(handle))
                continue;
            string typeId = TypeName(handle);
            members.Add("T:" + typeId);
            foreach (var f in type.GetFields())
                members.Add("F:" + typeId + "." + Escape(_md.GetString(_md.GetFieldDefinition(f).Name)));
            var owners = new Dictionary<MethodDefinitionHandle, string>();
            foreach (var p in type.GetProperties())
            {
                var property = _md.GetPropertyDefinition(p);
                var signature = property.DecodeSignature(_ids, null);
                var propertyId = "P:" + typeId + "." + Escape(_md.GetString(property.Name)) + Parameters(signature.ParameterTypes, false);
                members.Add(propertyId);
                var accessors = property.GetAccessors();
                foreach (var accessor in accessors.Others.Add(accessors.Getter).Add(accessors.Setter).Where(a => !a.IsNil))
                    owners.TryAdd(accessor, propertyId);
            }
            foreach (var e in type.GetEvents())
            {
                var evt = _md.GetEventDefinition(e);
                var eventId = "E:" + typeId + "." + Escape(_md.GetString(evt.Name));
                members.Add(eventId);
                var accessors = evt.GetAccessors();
                foreach (var accessor in accessors.Others.Add(accessors.Adder).Add(accessors.Remover).Add(accessors.Raiser).Where(a => !a.IsNil))
                    owners.TryAdd(accessor, eventId);
            }
            foreach (var m in type.GetMethods())
            {
                var method = _md.GetMethodDefinition(m);
                var name = _md.GetString(method.Name);
                var signature = method.DecodeSignature(_ids, null);
                var id = "M:" + typeId + "." + Escape(name)
                    + (signature.GenericParameterCount > 0 ? "``" + signature.GenericParameterCount : "")
                    + Parameters(signature.ParameterTypes, signature.Header.CallingConvention == SignatureCallingConvention.VarArgs)
                    + (name is "op_Implicit" or "op_Explicit" ? "~" + signature.ReturnType : "");
                members.Add(id);
                if (owners.TryGetValue(m, out var owner))
                    accessorOwners.TryAdd(id, owner);
                if (name.StartsWith('<'))
                    continue; // Lambdas and local functions: owned by a user method, never compared on their own.
                var body = CanonicalBody(method, out bool generated, out bool hasBody);
                methods[id] = new MethodFacts(id, body, generated, hasBody ? RawIl(method) : null);
            }
        }
        Members = members;
        AccessorOwners = accessorOwners;
        Methods = methods;
    }

    /// <summary>Documentation IDs of every type and member that is not compiler-generated.</summary>
    public IReadOnlySet<string> Members { get; }

    /// <summary>The property or event (P: or E: ID) of every accessor method, by the accessor's documentation ID.</summary>
    public IReadOnlyDictionary<string, string> AccessorOwners { get; }

    /// <summary>User-written methods by documentation ID.</summary>
    public IReadOnlyDictionary<string, MethodFacts> Methods { get; }

    public static IndependentMetadata Read(string path) => new(File.ReadAllBytes(path));

    /// <summary>
    /// What the oracle knows about one method's code: the canonical text of its own IL (null when it has
    /// none), whether it refers to anything compiler-generated (then its lambdas, closures or state
    /// machine are part of its code too, and its own IL says nothing definite), and its raw IL bytes.
    /// </summary>
    public sealed record MethodFacts(string Id, string? Body, bool ReferencesGenerated, byte[]? RawIl);

    private bool IsGenerated(TypeDefinitionHandle handle)
    {
        for (var h = handle; !h.IsNil; h = _md.GetTypeDefinition(h).GetDeclaringType())
        {
            if (_md.GetString(_md.GetTypeDefinition(h).Name).StartsWith('<'))
                return true;
        }
        return false;
    }

    private static string Escape(string name) => name.Replace('.', '#').Replace('<', '{').Replace('>', '}').Replace(',', '@');

    private static string Parameters(ImmutableArray<string> parameters, bool varargs)
    {
        if (parameters.Length == 0 && !varargs)
            return "";
        return "(" + string.Join(",", parameters) + (varargs && parameters.Length > 0 ? "," : "") + ")";
    }

    private string TypeName(TypeDefinitionHandle handle)
    {
        var type = _md.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
            return TypeName(declaring) + "." + _md.GetString(type.Name);
        var ns = _md.GetString(type.Namespace);
        return (ns.Length > 0 ? ns + "." : "") + _md.GetString(type.Name);
    }

    private string TypeName(TypeReferenceHandle handle)
    {
        var type = _md.GetTypeReference(handle);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return TypeName((TypeReferenceHandle)type.ResolutionScope) + "." + _md.GetString(type.Name);
        var ns = _md.GetString(type.Namespace);
        return (ns.Length > 0 ? ns + "." : "") + _md.GetString(type.Name);
    }

    private byte[] RawIl(MethodDefinition method) => _pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? [];

    private string? CanonicalBody(MethodDefinition method, out bool referencesGenerated, out bool hasBody)
    {
        referencesGenerated = false;
        hasBody = method.RelativeVirtualAddress != 0;
        if (!hasBody)
            return null;
        var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
        var text = new StringBuilder();
        if (!body.LocalSignature.IsNil)
        {
            var locals = _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_exact, null);
            text.Append(".locals ").Append(body.LocalVariablesInitialized ? "init " : "").AppendJoin(",", locals).Append('\n');
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            ushort value = il.ReadByte();
            if (value == 0xFE)
                value = (ushort)(0xFE00 | il.ReadByte());
            var opCode = OpCodes[value];
            text.Append(offset).Append(' ').Append(opCode.Name);
            switch (opCode.OperandType)
            {
                case Emit.OperandType.InlineNone:
                    break;
                case Emit.OperandType.ShortInlineBrTarget:
                case Emit.OperandType.ShortInlineI:
                case Emit.OperandType.ShortInlineVar:
                    text.Append(' ').Append(il.ReadByte());
                    break;
                case Emit.OperandType.InlineVar:
                    text.Append(' ').Append(il.ReadUInt16());
                    break;
                case Emit.OperandType.InlineBrTarget:
                case Emit.OperandType.InlineI:
                case Emit.OperandType.ShortInlineR:
                    text.Append(' ').Append(il.ReadInt32());
                    break;
                case Emit.OperandType.InlineI8:
                case Emit.OperandType.InlineR:
                    text.Append(' ').Append(il.ReadInt64());
                    break;
                case Emit.OperandType.InlineSwitch:
                    int count = il.ReadInt32();
                    text.Append(" [");
                    for (int i = 0; i < count; i++)
                        text.Append(il.ReadInt32()).Append(',');
                    text.Append(']');
                    break;
                case Emit.OperandType.InlineString:
                    text.Append(" \"").Append(_md.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32()))).Append('"');
                    break;
                default:
                    // Field, method, type, token and signature operands: by what they name.
                    var name = Resolve(MetadataTokens.EntityHandle(il.ReadInt32()));
                    referencesGenerated |= name.Contains('<');
                    text.Append(' ').Append(name);
                    break;
            }
            text.Append('\n');
        }

        foreach (var region in body.ExceptionRegions)
        {
            text.Append(".try ").Append(region.Kind).Append(' ').Append(region.TryOffset).Append('+').Append(region.TryLength)
                .Append(' ').Append(region.HandlerOffset).Append('+').Append(region.HandlerLength);
            if (!region.CatchType.IsNil)
                text.Append(' ').Append(Resolve(region.CatchType));
            if (region.Kind == ExceptionRegionKind.Filter)
                text.Append(" filter ").Append(region.FilterOffset);
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The name a token stands for, scope-free, with custom modifiers (they are part of a call's target).</summary>
    private string Resolve(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
            case HandleKind.TypeSpecification:
                return TypeOf(handle);
            case HandleKind.FieldDefinition:
            {
                var field = _md.GetFieldDefinition((FieldDefinitionHandle)handle);
                return TypeName(field.GetDeclaringType()) + "::" + _md.GetString(field.Name) + " " + field.DecodeSignature(_exact, null);
            }
            case HandleKind.MethodDefinition:
            {
                var method = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                return TypeName(method.GetDeclaringType()) + "::" + _md.GetString(method.Name) + " " + Signature(method.DecodeSignature(_exact, null));
            }
            case HandleKind.MemberReference:
            {
                var member = _md.GetMemberReference((MemberReferenceHandle)handle);
                string parent = member.Parent.Kind switch
                {
                    HandleKind.MethodDefinition => Resolve(member.Parent),
                    HandleKind.ModuleReference => "module",
                    _ => TypeOf(member.Parent),
                };
                string signature = member.GetKind() == MemberReferenceKind.Method
                    ? Signature(member.DecodeMethodSignature(_exact, null))
                    : member.DecodeFieldSignature(_exact, null);
                return parent + "::" + _md.GetString(member.Name) + " " + signature;
            }
            case HandleKind.MethodSpecification:
            {
                var spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                return Resolve(spec.Method) + " {" + string.Join(",", spec.DecodeSignature(_exact, null)) + "}";
            }
            case HandleKind.StandaloneSignature:
                return "calli " + Signature(_md.GetStandaloneSignature((StandaloneSignatureHandle)handle).DecodeMethodSignature(_exact, null));
            default:
                return "?" + handle.Kind;
        }
    }

    private string TypeOf(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => TypeName((TypeDefinitionHandle)handle),
        HandleKind.TypeReference => TypeName((TypeReferenceHandle)handle),
        _ => _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_exact, null),
    };

    private static string Signature(MethodSignature<string> signature)
        => (signature.Header.IsInstance ? "instance " : "") + signature.ReturnType + "(" + string.Join(",", signature.ParameterTypes) + ")"
            + (signature.GenericParameterCount > 0 ? " ``" + signature.GenericParameterCount : "");

    /// <summary>
    /// Types as documentation IDs spell them (<c>System.Collections.Generic.List{System.Int32}</c>,
    /// <c>`0</c>, <c>``0</c>, <c>@</c> for by-reference); optionally with custom modifiers.
    /// </summary>
    private sealed class NameProvider(IndependentMetadata owner, bool withModifiers) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode switch
        {
            PrimitiveTypeCode.IntPtr => "IntPtr",
            PrimitiveTypeCode.UIntPtr => "UIntPtr",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => owner.TypeName(handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => owner.TypeName(handle);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape)
            => elementType + "[" + string.Join(",", Enumerable.Repeat("0:", shape.Rank)) + "]";

        public string GetByReferenceType(string elementType) => elementType + "@";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType + (withModifiers ? " pinned" : "");

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired)
            => withModifiers ? unmodifiedType + (isRequired ? " modreq(" : " modopt(") + modifier + ")" : unmodifiedType;

        public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature)
            => "=FUNC:" + signature.ReturnType + Parameters(signature.ParameterTypes, false);

        /// <summary><c>Outer`1.Inner`1</c> with arguments A, B is <c>Outer{A}.Inner{B}</c>: each level takes its own arity.</summary>
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            var result = new StringBuilder();
            int next = 0;
            foreach (var segment in genericType.Split('.'))
            {
                if (result.Length > 0)
                    result.Append('.');
                int tick = segment.LastIndexOf('`');
                if (tick > 0 && int.TryParse(segment.AsSpan(tick + 1), out int arity))
                {
                    result.Append(segment, 0, tick).Append('{').AppendJoin(",", typeArguments.Skip(next).Take(arity)).Append('}');
                    next += arity;
                }
                else
                {
                    result.Append(segment);
                }
            }
            return result.ToString();
        }
    }
}
