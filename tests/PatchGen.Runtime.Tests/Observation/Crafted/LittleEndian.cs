using System.Buffers.Binary;

namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>Integers written as NetTrace and the runtime's event payloads hold them: little-endian, fixed width.</summary>
internal static class LittleEndian
{
    public static void WriteInt16(Stream o, short value) => WriteUInt16(o, unchecked((ushort)value));

    public static void WriteInt32(Stream o, int value) => WriteUInt32(o, unchecked((uint)value));

    public static void WriteInt64(Stream o, long value) => WriteUInt64(o, unchecked((ulong)value));

    public static void WriteUInt16(Stream o, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        o.Write(b);
    }

    public static void WriteUInt32(Stream o, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        o.Write(b);
    }

    public static void WriteUInt64(Stream o, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        o.Write(b);
    }
}
