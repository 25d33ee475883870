using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace PatchGen.Corpus.Check;

/// <summary>
/// What the independent check compares, read with System.Reflection.Metadata alone (no Cecil, no PatchGen code):
/// per user type, its fields (name, type, static or instance, a constant's value), its methods' signatures, and its
/// static constructor's IL with tokens resolved to names. Types the compiler generates (closures, state machines,
/// <c>&lt;PrivateImplementationDetails&gt;</c>, fixed-buffer structs; any name with <c>&lt;</c>) are left out, as
/// their changes are what the rules accept as lambdas, state machines and array data; <c>file</c>-local types, whose
/// metadata name starts with <c>&lt;</c> too, are user types and kept.
/// </summary>
internal sealed partial class MetadataListing
{
    private MetadataListing(IReadOnlyDictionary<string, TypeListing> types) => Types = types;

    public IReadOnlyDictionary<string, TypeListing> Types { get; }

    /// <summary>A field: <c>static</c> or not, its type, and for a constant its value.</summary>
    public sealed record FieldEntry(string Name, string Type, bool IsStatic, bool IsLiteral, string? ConstantValue)
    {
        public string Shape => (IsStatic ? "static " : "") + Type;
    }

    public sealed record TypeListing(
        string Name,
        IReadOnlyDictionary<string, FieldEntry> Fields,
        IReadOnlyDictionary<string, IReadOnlySet<string>> MethodSignaturesByName,
        string? StaticConstructorIl);

    // A file-local type: <FileName>F{hash}__Name.
    [GeneratedRegex(@"^<[^<>]*>F[0-9A-Fa-f]+__[^<>]+$")]
    private static partial Regex FileLocalTypeName();

    public static bool IsCompilerGeneratedName(string simpleName)
        => (simpleName.Contains('<') || simpleName.Contains('>')) && !FileLocalTypeName().IsMatch(simpleName);

    public static MetadataListing Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var types = new Dictionary<string, TypeListing>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            if (!IsUserType(reader, handle))
                continue;
            var type = reader.GetTypeDefinition(handle);
            var name = SignatureText.TypeName(reader, handle);
            var fields = new Dictionary<string, FieldEntry>(StringComparer.Ordinal);
            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                var fieldName = reader.GetString(field.Name);
                bool literal = (field.Attributes & FieldAttributes.Literal) != 0;
                fields[fieldName] = new FieldEntry(fieldName, field.DecodeSignature(SignatureText.Instance, null),
                    (field.Attributes & FieldAttributes.Static) != 0, literal,
                    literal ? ConstantText(reader, field.GetDefaultValue()) : null);
            }
            var methods = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            string? cctor = null;
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                var methodName = reader.GetString(method.Name);
                if (methodName == ".cctor")
                {
                    cctor = method.RelativeVirtualAddress == 0 ? "" : IlText.Render(reader, pe.GetMethodBody(method.RelativeVirtualAddress));
                    continue;
                }
                if (IsCompilerGeneratedName(methodName))
                    continue; // lambdas and local functions: matched and replaced in place by the rules
                var signature = method.DecodeSignature(SignatureText.Instance, null);
                var text = ((method.Attributes & MethodAttributes.Static) != 0 ? "static " : "")
                           + (signature.GenericParameterCount > 0 ? "``" + signature.GenericParameterCount : "")
                           + SignatureOf(signature);
                if (!methods.TryGetValue(methodName, out var set))
                    methods[methodName] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(text);
            }
            types[name] = new TypeListing(name, fields,
                methods.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal), cctor);
        }
        return new MetadataListing(types);
    }

    public static string SignatureOf(MethodSignature<string> signature)
        => "(" + string.Join(",", signature.ParameterTypes) + ")" + signature.ReturnType;

    private static bool IsUserType(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        if (name == "<Module>" || IsCompilerGeneratedName(name))
            return false;
        var declaring = type.GetDeclaringType();
        return declaring.IsNil || IsUserType(reader, declaring);
    }

    private static string? ConstantText(MetadataReader reader, ConstantHandle handle)
    {
        if (handle.IsNil)
            return null;
        var constant = reader.GetConstant(handle);
        return constant.TypeCode + ":" + Convert.ToHexString(reader.GetBlobBytes(constant.Value));
    }
}
