using System.Reflection;
using System.Reflection.Emit;

namespace PatchGen.Runtime.Consistency;

/// <summary>Just enough of an IL decoder to walk a body instruction by instruction and find its calls.</summary>
internal static class IlOpcodes
{
    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    static IlOpcodes()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode opcode)
                continue;
            ushort value = unchecked((ushort)opcode.Value);
            if (opcode.Size == 1)
                OneByte[value] = opcode;
            else
                TwoByte[value & 0xFF] = opcode;
        }
    }

    /// <summary>
    /// The instruction at <paramref name="offset"/>: its opcode value (two-byte opcodes above 0xFF; -1
    /// when it cannot be decoded), its operand size (-1 for <c>switch</c>, whose size is in the operand),
    /// and whether it calls a method (<c>call</c>, <c>callvirt</c>, <c>newobj</c>).
    /// </summary>
    public static (int Opcode, int OperandSize, bool IsCall) Read(byte[] il, int offset)
    {
        OpCode? found;
        if (il[offset] == 0xFE)
        {
            if (offset + 1 >= il.Length)
                return (-1, 0, false);
            found = TwoByte[il[offset + 1]];
        }
        else
        {
            found = OneByte[il[offset]];
        }
        if (found is not { } opcode)
            return (-1, 0, false);
        int value = opcode.Size == 1 ? il[offset] : 0xFE00 | il[offset + 1];
        int size = opcode.OperandType switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => -1,
            _ => 4,
        };
        bool isCall = opcode == OpCodes.Call || opcode == OpCodes.Callvirt || opcode == OpCodes.Newobj;
        return (value, size, isCall);
    }
}
