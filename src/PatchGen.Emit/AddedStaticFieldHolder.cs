using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diff.StaticInitialization;

namespace PatchGen.Emit;

/// <summary>
/// Extended model (PG3011, docs/diff-rules.md#the-extended-model): the static fields the fix adds to
/// an existing type live in the patch, as static fields of that type's holder (the static class that
/// holds the type's replacements), so every <c>ldsfld</c>, <c>stsfld</c> and <c>ldsflda</c> of them in
/// copied code names the holder's field. The first reference to any of a type's added fields moves
/// them all, and gives the holder a static constructor running their initializers, the statements the
/// diff engine took out of v2's static constructor (<see cref="AddedStaticFields"/>), in v2's order.
/// </summary>
/// <remarks>
/// Why the holder's static constructor and not a callback at enable: the runtime runs it exactly once
/// per load of the patch, before the first access to one of the fields from any thread (the holder is
/// <c>beforefieldinit</c>, so at the latest at that access, possibly when a patched method that uses
/// the fields is compiled), under the runtime's own class-constructor lock, as v2's static constructor
/// runs. A pre-patch callback would run before the transition too, but once per enable, and a
/// post-patch callback only after threads already run patched code that reads the field. A patch is
/// enabled once per load (a disabled patch must be unloaded to be enabled again), so the initializers
/// run again exactly when the fields start from scratch: in a fresh load context.
/// </remarks>
internal sealed class AddedStaticFieldHolder
{
    private const FieldAttributes Dropped = FieldAttributes.FieldAccessMask | FieldAttributes.HasDefault | FieldAttributes.HasFieldRVA | FieldAttributes.HasFieldMarshal;

    private readonly PatchComposer _composer;
    private readonly AddedStaticFields _added;
    private readonly ModuleDefinition _patch;
    private readonly Dictionary<FieldDefinition, FieldDefinition> _moved = new();

    public AddedStaticFieldHolder(PatchComposer composer, AddedStaticFields added, ModuleDefinition patch)
    {
        _composer = composer;
        _added = added;
        _patch = patch;
    }

    /// <summary>The holder's field standing for <paramref name="field"/>, a static field of the new build; null if the fix did not add it.</summary>
    public FieldReference? FieldFor(FieldDefinition field)
    {
        if (!_added.IsAdded(field))
            return null;
        if (!_moved.TryGetValue(field, out var moved))
        {
            MoveFieldsOf(field.DeclaringType);
            moved = _moved[field];
        }
        return moved;
    }

    private void MoveFieldsOf(TypeDefinition type)
    {
        if (type.HasGenericParameters)
            throw new EmitException(Diff.DiffContext.DisplayName(type), "a static field added to a generic type (the holder has no storage per instantiation)");
        var holder = _composer.HolderOf(type);
        var scope = GenericScope.Member(holder, null);
        foreach (var field in type.Fields.Where(_added.IsAdded))
        {
            var copy = new FieldDefinition(field.Name, (field.Attributes & ~Dropped) | FieldAttributes.Public, _composer.Map.Type(field.FieldType, scope));
            holder.Fields.Add(copy);
            _moved[field] = copy;
            _composer.Attributes.Copy(field, copy, scope);
            Declare(_patch, Diff.DocumentationId.ForField(field));
        }

        var staticConstructor = type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic && m.HasBody);
        if (staticConstructor is null || _added.Segments(staticConstructor) is not { Count: > 0 } segments)
            return;
        var initializers = Initializers(staticConstructor, segments);
        var target = new MethodDefinition(".cctor",
            MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName | MethodAttributes.HideBySig,
            _patch.TypeSystem.Void);
        holder.Methods.Add(target);
        _composer.Enqueue(() => _composer.Bodies.Copy(initializers, target, GenericScope.Member(holder, target), flattened: false, nullCheck: false));
    }

    /// <summary>
    /// <c>[assembly: AssemblyMetadata("PatchGen.AddedStatic", id)]</c>: the runtime refuses to stack a second copy of the
    /// field (an added static field, or an added instance field's shadow variables, <see cref="AddedInstanceFieldShadows"/>).
    /// </summary>
    public static void Declare(ModuleDefinition _patch, string documentationId)
    {
        var metadataType = new TypeReference("System.Reflection", "AssemblyMetadataAttribute", _patch, _patch.TypeSystem.CoreLibrary);
        var constructor = new MethodReference(".ctor", _patch.TypeSystem.Void, metadataType) { HasThis = true };
        constructor.Parameters.Add(new ParameterDefinition(_patch.TypeSystem.String));
        constructor.Parameters.Add(new ParameterDefinition(_patch.TypeSystem.String));
        var attribute = new CustomAttribute(constructor);
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_patch.TypeSystem.String, Diagnostics.RuntimeNames.AddedStaticMetadataKey));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_patch.TypeSystem.String, documentationId));
        _patch.Assembly.CustomAttributes.Add(attribute);
    }

    /// <summary>
    /// A static constructor of the new build's type holding only the initializer statements (each
    /// self-contained: its branches stay inside it, its locals are its own temporaries), then <c>ret</c>.
    /// It is never added to the type: the body copier reads it as it reads any method of the new build.
    /// </summary>
    private static MethodDefinition Initializers(MethodDefinition staticConstructor, IReadOnlyList<InitializerSegment> segments)
    {
        var method = new MethodDefinition(staticConstructor.Name, staticConstructor.Attributes, staticConstructor.ReturnType)
        {
            DeclaringType = staticConstructor.DeclaringType,
        };
        var from = staticConstructor.Body;
        var to = method.Body;
        to.InitLocals = from.InitLocals;
        foreach (var variable in from.Variables)
            to.Variables.Add(new VariableDefinition(variable.VariableType));

        var copies = new Dictionary<Instruction, Instruction>();
        var kept = segments.SelectMany(s => Enumerable.Range(s.Start, s.End - s.Start + 1)).Select(i => from.Instructions[i]).ToList();
        foreach (var instruction in kept)
            copies[instruction] = Instruction.Create(OpCodes.Nop);
        foreach (var instruction in kept)
        {
            var copy = copies[instruction];
            copy.OpCode = instruction.OpCode;
            copy.Offset = instruction.Offset; // the body copier finds sequence points by offset
            copy.Operand = instruction.Operand switch
            {
                Instruction label => copies[label],
                Instruction[] labels => labels.Select(l => copies[l]).ToArray(),
                VariableDefinition variable => to.Variables[variable.Index],
                _ => instruction.Operand,
            };
            to.Instructions.Add(copy);
        }
        var ret = Instruction.Create(OpCodes.Ret);
        ret.Offset = from.Instructions[^1].Offset + 1;
        to.Instructions.Add(ret);
        // The initializers keep their source lines: an exception thrown by one names the field's line in v2.
        foreach (var point in staticConstructor.DebugInformation.SequencePoints)
        {
            var at = kept.FirstOrDefault(i => i.Offset == point.Offset);
            if (at is not null)
            {
                method.DebugInformation.SequencePoints.Add(new SequencePoint(copies[at], point.Document)
                {
                    StartLine = point.StartLine,
                    StartColumn = point.StartColumn,
                    EndLine = point.EndLine,
                    EndColumn = point.EndColumn,
                });
            }
        }
        return method;
    }
}
