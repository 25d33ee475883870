using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>Short and macro forms map to one long form: <c>ldc.i4.s 5</c>, <c>ldc.i4.5</c> and <c>ldc.i4 5</c> are one instruction.</summary>
internal static class CanonicalOpCodes
{
    /// <summary>The long form's name, and the operand a macro form implies (<c>ldarg.1</c>: 1).</summary>
    public static (string Name, int? ImplicitOperand) Of(OpCode opCode) => opCode.Code switch
    {
        Code.Ldarg_0 => ("ldarg", 0),
        Code.Ldarg_1 => ("ldarg", 1),
        Code.Ldarg_2 => ("ldarg", 2),
        Code.Ldarg_3 => ("ldarg", 3),
        Code.Ldarg_S => ("ldarg", null),
        Code.Ldarga_S => ("ldarga", null),
        Code.Starg_S => ("starg", null),
        Code.Ldloc_0 => ("ldloc", 0),
        Code.Ldloc_1 => ("ldloc", 1),
        Code.Ldloc_2 => ("ldloc", 2),
        Code.Ldloc_3 => ("ldloc", 3),
        Code.Ldloc_S => ("ldloc", null),
        Code.Ldloca_S => ("ldloca", null),
        Code.Stloc_0 => ("stloc", 0),
        Code.Stloc_1 => ("stloc", 1),
        Code.Stloc_2 => ("stloc", 2),
        Code.Stloc_3 => ("stloc", 3),
        Code.Stloc_S => ("stloc", null),
        Code.Ldc_I4_M1 => ("ldc.i4", -1),
        Code.Ldc_I4_0 => ("ldc.i4", 0),
        Code.Ldc_I4_1 => ("ldc.i4", 1),
        Code.Ldc_I4_2 => ("ldc.i4", 2),
        Code.Ldc_I4_3 => ("ldc.i4", 3),
        Code.Ldc_I4_4 => ("ldc.i4", 4),
        Code.Ldc_I4_5 => ("ldc.i4", 5),
        Code.Ldc_I4_6 => ("ldc.i4", 6),
        Code.Ldc_I4_7 => ("ldc.i4", 7),
        Code.Ldc_I4_8 => ("ldc.i4", 8),
        Code.Ldc_I4_S => ("ldc.i4", null),
        Code.Br_S => ("br", null),
        Code.Brfalse_S => ("brfalse", null),
        Code.Brtrue_S => ("brtrue", null),
        Code.Beq_S => ("beq", null),
        Code.Bge_S => ("bge", null),
        Code.Bgt_S => ("bgt", null),
        Code.Ble_S => ("ble", null),
        Code.Blt_S => ("blt", null),
        Code.Bne_Un_S => ("bne.un", null),
        Code.Bge_Un_S => ("bge.un", null),
        Code.Bgt_Un_S => ("bgt.un", null),
        Code.Ble_Un_S => ("ble.un", null),
        Code.Blt_Un_S => ("blt.un", null),
        Code.Leave_S => ("leave", null),
        _ => (opCode.Name, null),
    };
}
