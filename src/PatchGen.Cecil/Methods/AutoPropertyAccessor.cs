using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Cecil.Methods;

/// <summary>
/// The accessors the compiler writes for an auto-property: <c>ldarg.0; ldfld &lt;P&gt;k__BackingField; ret</c>
/// or the setter's <c>stfld</c> (static: <c>ldsfld</c>/<c>stsfld</c>). Defined once, for the two stages that
/// must agree on it: the instrumenter gives such an accessor no patch site (its body follows from the
/// field, and these are the hottest, smallest methods of most libraries, which must stay exactly as the
/// compiler made them), and the diff engine therefore rejects a fix that changes one (PG2008).
/// </summary>
internal static class AutoPropertyAccessor
{
    public static bool Is(MethodDefinition method)
    {
        if (!method.IsSpecialName || !(method.IsGetter || method.IsSetter) || !method.HasBody)
            return false;
        var code = method.Body.Instructions;
        bool isStatic = method.IsStatic;
        var shape = method.IsGetter
            ? (isStatic ? new[] { Code.Ldsfld, Code.Ret } : new[] { Code.Ldarg_0, Code.Ldfld, Code.Ret })
            : (isStatic ? new[] { Code.Ldarg_0, Code.Stsfld, Code.Ret } : new[] { Code.Ldarg_0, Code.Ldarg_1, Code.Stfld, Code.Ret });
        if (code.Count != shape.Length)
            return false;
        for (int i = 0; i < shape.Length; i++)
        {
            if (code[i].OpCode.Code != shape[i])
                return false;
        }
        var field = code[shape.Length - 2].Operand as FieldReference;
        return field is not null
            && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            && field.DeclaringType.GetElementType() == method.DeclaringType;
    }
}
