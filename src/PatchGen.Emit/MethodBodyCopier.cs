using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diff;

namespace PatchGen.Emit;

/// <summary>
/// Copies a method body from the new build into the patch: the same instructions, locals and
/// exception handlers, with every operand rewritten by the <see cref="ReferenceMapper"/>, and the
/// sequence points, so that a patched method's stack trace still names the fixed source line.
/// </summary>
internal sealed class MethodBodyCopier
{
    private readonly ReferenceMapper _map;
    private readonly ModuleDefinition _patch;
    private readonly Dictionary<string, Document> _documents = new(StringComparer.Ordinal);

    /// <summary>Extended model: the instance fields the fix adds, which copied code reaches through helpers (PG3012).</summary>
    public AddedInstanceFieldShadows? Shadows { get; set; }

    public MethodBodyCopier(ReferenceMapper map, ModuleDefinition patch)
    {
        _map = map;
        _patch = patch;
    }

    /// <param name="flattened">The copy is static with <c>this</c> as its first parameter.</param>
    /// <param name="nullCheck">Throw NullReferenceException on a null <c>this</c>, as the callvirt the copy's callers lost would have.</param>
    public void Copy(MethodDefinition source, MethodDefinition target, GenericScope scope, bool flattened, bool nullCheck)
    {
        try
        {
            CopyBody(source, target, scope, flattened, nullCheck);
        }
        catch (Exception e) when (e is not EmitException)
        {
            // Whatever the new build holds that the emitter did not foresee: name the method, not a stack trace.
            throw new EmitException(CSharpName.Of(source, qualified: true), $"IL the emitter could not copy ({e.GetType().Name}: {e.Message})");
        }
    }

    private void CopyBody(MethodDefinition source, MethodDefinition target, GenericScope scope, bool flattened, bool nullCheck)
    {
        var from = source.Body;
        var to = target.Body;
        to.InitLocals = from.InitLocals;
        foreach (var variable in from.Variables)
            to.Variables.Add(new VariableDefinition(_map.Type(variable.VariableType, scope)));

        var copies = new Dictionary<Instruction, Instruction>(from.Instructions.Count);
        foreach (var instruction in from.Instructions)
        {
            var copy = Instruction.Create(OpCodes.Nop);
            copy.OpCode = instruction.OpCode;
            copies[instruction] = copy;
        }

        string member = CSharpName.Of(source, qualified: true);
        foreach (var instruction in from.Instructions)
        {
            var copy = copies[instruction];
            copy.Operand = instruction.Operand switch
            {
                null => null,
                Instruction label => copies[label],
                Instruction[] labels => labels.Select(l => copies[l]).ToArray(),
                VariableDefinition variable => to.Variables[variable.Index],
                ParameterDefinition parameter => Parameter(parameter, from, target, flattened),
                TypeReference type => _map.Type(type, scope),
                MethodReference method => Method(copy, method, scope, member),
                FieldReference field when Shadowed(copy, field) is { } helper => helper,
                FieldReference field => _map.Field(field, scope),
                CallSite site => CallSite(site, scope),
                _ => instruction.Operand, // strings and numbers
            };
            to.Instructions.Add(copy);
        }

        foreach (var handler in from.ExceptionHandlers)
        {
            to.ExceptionHandlers.Add(new ExceptionHandler(handler.HandlerType)
            {
                TryStart = Map(copies, handler.TryStart),
                TryEnd = Map(copies, handler.TryEnd),
                HandlerStart = Map(copies, handler.HandlerStart),
                HandlerEnd = Map(copies, handler.HandlerEnd),
                FilterStart = Map(copies, handler.FilterStart),
                CatchType = handler.CatchType is null ? null : _map.Type(handler.CatchType, scope),
            });
        }

        CopySequencePoints(source, target, copies);
        if (nullCheck)
            InsertNullCheck(target);
    }

    private static Instruction? Map(Dictionary<Instruction, Instruction> copies, Instruction? instruction)
        => instruction is null ? null : copies[instruction];

    private static ParameterDefinition Parameter(ParameterDefinition parameter, MethodBody from, MethodDefinition target, bool flattened)
    {
        if (parameter == from.ThisParameter)
            return flattened ? target.Parameters[0] : target.Body.ThisParameter;
        return target.Parameters[parameter.Index + (flattened && from.Method.HasThis ? 1 : 0)];
    }

    /// <summary>
    /// A call to a method that became static in the patch (a lambda of a user type, a method added to
    /// an existing type) is a plain call; a delegate over it is a delegate closed over its first
    /// argument, which is what <c>ldftn</c> of a static method with a target object makes.
    /// </summary>
    private MethodReference Method(Instruction copy, MethodReference method, GenericScope scope, string member)
    {
        var mapped = _map.Method(method, scope);
        if (mapped.BecameStatic)
        {
            switch (copy.OpCode.Code)
            {
                case Code.Call:
                case Code.Ldftn:
                    break;
                case Code.Callvirt:
                    copy.OpCode = OpCodes.Call;
                    break;
                default:
                    throw new EmitException(member, $"'{copy.OpCode.Name}' of {CSharpName.Of(method.Resolve(), qualified: true)}, a method the patch must add to an existing type");
            }
        }
        return mapped.Reference;
    }

    /// <summary>An access to an instance field the fix adds becomes a call to its helper, which takes the same stack.</summary>
    private MethodReference? Shadowed(Instruction copy, FieldReference field)
    {
        // Only a field of the new build itself: a TypeReference's Module is the module that holds the reference, and
        // resolving another assembly's field (System.Runtime's) needs a resolver that finds the framework.
        if (Shadows is null || field.DeclaringType.GetElementType() is not TypeDefinition { Module: var owner } || owner != _map.NewModule
            || field.Resolve() is not { } definition
            || Shadows.HelperFor(copy.OpCode, definition) is not { } helper)
            return null;
        copy.OpCode = OpCodes.Call;
        return helper;
    }

    private CallSite CallSite(CallSite site, GenericScope scope)
    {
        var copy = new CallSite(_map.Type(site.ReturnType, scope))
        {
            HasThis = site.HasThis,
            ExplicitThis = site.ExplicitThis,
            CallingConvention = site.CallingConvention,
        };
        foreach (var parameter in site.Parameters)
            copy.Parameters.Add(new ParameterDefinition(_map.Type(parameter.ParameterType, scope)));
        return copy;
    }

    private void CopySequencePoints(MethodDefinition source, MethodDefinition target, Dictionary<Instruction, Instruction> copies)
    {
        if (!source.DebugInformation.HasSequencePoints)
            return;
        var byOffset = source.Body.Instructions.ToDictionary(i => i.Offset);
        foreach (var point in source.DebugInformation.SequencePoints)
        {
            if (!byOffset.TryGetValue(point.Offset, out var instruction))
                continue;
            target.DebugInformation.SequencePoints.Add(new SequencePoint(copies[instruction], DocumentFor(point.Document))
            {
                StartLine = point.StartLine,
                StartColumn = point.StartColumn,
                EndLine = point.EndLine,
                EndColumn = point.EndColumn,
            });
        }
    }

    private Document DocumentFor(Document document)
    {
        if (!_documents.TryGetValue(document.Url, out var copy))
        {
            _documents[document.Url] = copy = new Document(document.Url)
            {
                Language = document.Language,
                LanguageVendor = document.LanguageVendor,
                Type = document.Type,
                HashAlgorithm = document.HashAlgorithm,
                Hash = document.Hash,
            };
        }
        return copy;
    }

    private void InsertNullCheck(MethodDefinition target)
    {
        var instructions = target.Body.Instructions;
        var first = instructions[0];
        var exception = new TypeReference("System", "NullReferenceException", _patch, _patch.TypeSystem.CoreLibrary);
        var nullReference = new MethodReference(".ctor", _patch.TypeSystem.Void, exception) { HasThis = true };
        var processor = target.Body.GetILProcessor();
        processor.InsertBefore(first, Instruction.Create(OpCodes.Ldarg_0));
        processor.InsertBefore(first, Instruction.Create(OpCodes.Brtrue, first));
        processor.InsertBefore(first, Instruction.Create(OpCodes.Newobj, nullReference));
        processor.InsertBefore(first, Instruction.Create(OpCodes.Throw));
    }
}
