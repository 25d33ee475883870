using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Shape;

/// <summary>
/// The diff engine's half of the extended model's added-field rules (<c>Fields/AddedStaticFieldRule</c>
/// and <c>Fields/AddedInstanceFieldRule</c> of PatchGen.Rules): what the metadata and IL of the new build
/// say about a field the fix adds. It can move into the patch (a static) or into shadow variables (an
/// instance field) only as a plain field: no RVA data (a field whose initial value is in
/// the image), no explicit offset, no marshalling, not a fixed-size buffer. And no string of the new
/// build may equal its name: reflection by name (<c>GetField("_cache")</c>, <c>nameof</c>) would look
/// for it on the live type, which does not have it. Every other reference to it is in code the patch
/// carries: a method that uses it is added or has another body than in the base, and the static
/// constructor's use is its initializer, which moves with it (or the constructor changed: PG2004).
/// </summary>
internal static class AddedStaticUses
{
    public static bool MayMove(DiffContext context, FieldDefinition field)
    {
        if (field.RVA != 0 || field.InitialValue is { Length: > 0 } || field.HasLayoutInfo || field.HasMarshalInfo || TypeFacts.FixedBuffer(field) is not null)
            return false;
        foreach (var type in context.New.Module.GetTypes())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                if (method.Body.Instructions.Any(i => i.OpCode.Code == Code.Ldstr && i.Operand is string text && text == field.Name))
                    return false;
            }
        }
        return true;
    }
}
