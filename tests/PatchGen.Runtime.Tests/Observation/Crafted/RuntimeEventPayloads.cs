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
        LittleEndian.WriteUInt64(o, r.MethodId);
        LittleEndian.WriteUInt64(o, r.ModuleId);
        LittleEndian.WriteUInt64(o, r.StartAddress);
        LittleEndian.WriteUInt32(o, r.Size);
        LittleEndian.WriteUInt32(o, r.Token);
        LittleEndian.WriteUInt32(o, r.Flags);
        WriteName(o, r.Method);
        LittleEndian.WriteUInt16(o, 0);
        LittleEndian.WriteUInt64(o, r.ReJitId);
        return o.ToArray();
    }

    /// <summary>MethodJittingStarted V1.</summary>
    public static byte[] MethodJittingStarted(MethodJittingStartedRecord r)
    {
        var o = new MemoryStream();
        LittleEndian.WriteUInt64(o, r.MethodId);
        LittleEndian.WriteUInt64(o, r.ModuleId);
        LittleEndian.WriteUInt32(o, r.Token);
        LittleEndian.WriteUInt32(o, r.ILSize);
        WriteName(o, r.Method);
        LittleEndian.WriteUInt16(o, 0);
        return o.ToArray();
    }

    /// <summary>MethodJitInliningSucceeded.</summary>
    public static byte[] InliningSucceeded(InliningRecord r)
    {
        var o = new MemoryStream();
        WriteName(o, r.BeingCompiled);
        WriteName(o, r.Inliner);
        WriteName(o, r.Inlinee);
        LittleEndian.WriteUInt16(o, 0);
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
}
