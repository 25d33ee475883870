using System.Buffers.Binary;
using System.Text;
using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// Encodes the payloads of the runtime events <see cref="RuntimeEventSession"/> reads, field by field as
/// <see cref="RuntimeEventDecoder"/> decodes them (ClrEtwAll.man order): little-endian, strings NUL-terminated UTF-16.
/// </summary>
internal static class RuntimeEventPayloads
{
    /// <summary>MethodLoadVerbose V2 (also MethodDCEndVerbose and MethodUnloadVerbose).</summary>
    public static byte[] MethodLoad(MethodLoadRecord r)
    {
        var o = new MemoryStream();
        WriteUInt64(o, r.MethodId);
        WriteUInt64(o, r.ModuleId);
        WriteUInt64(o, r.StartAddress);
        WriteUInt32(o, r.Size);
        WriteUInt32(o, r.Token);
        WriteUInt32(o, r.Flags);
        WriteName(o, r.Method);
        WriteUInt16(o, 0);
        WriteUInt64(o, r.ReJitId);
        return o.ToArray();
    }

    /// <summary>MethodJittingStarted V1.</summary>
    public static byte[] MethodJittingStarted(MethodJittingStartedRecord r)
    {
        var o = new MemoryStream();
        WriteUInt64(o, r.MethodId);
        WriteUInt64(o, r.ModuleId);
        WriteUInt32(o, r.Token);
        WriteUInt32(o, r.ILSize);
        WriteName(o, r.Method);
        WriteUInt16(o, 0);
        return o.ToArray();
    }

    /// <summary>MethodJitInliningSucceeded.</summary>
    public static byte[] InliningSucceeded(InliningRecord r)
    {
        var o = new MemoryStream();
        WriteName(o, r.BeingCompiled);
        WriteName(o, r.Inliner);
        WriteName(o, r.Inlinee);
        WriteUInt16(o, 0);
        return o.ToArray();
    }

    public static void WriteString(Stream o, string value)
    {
        o.Write(Encoding.Unicode.GetBytes(value));
        o.Write([0, 0]);
    }

    private static void WriteName(Stream o, EventMethodName name)
    {
        WriteString(o, name.Namespace);
        WriteString(o, name.Name);
        WriteString(o, name.Signature);
    }

    private static void WriteUInt16(Stream o, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        o.Write(b);
    }

    private static void WriteUInt32(Stream o, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        o.Write(b);
    }

    private static void WriteUInt64(Stream o, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        o.Write(b);
    }
}
