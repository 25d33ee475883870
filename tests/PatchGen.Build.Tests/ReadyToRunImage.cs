using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace PatchGen.Build.Tests;

/// <summary>
/// Whether an assembly carries ReadyToRun code, and for which platform, read from its PE image with
/// System.Reflection.Metadata (never loaded): crossgen2 sets the CLI header's ILLibrary flag, points its
/// ManagedNativeHeader at a READYTORUN_HEADER (signature "RTR"), and writes the target's machine XOR an
/// OS constant into the COFF header.
/// </summary>
internal sealed record ReadyToRunImage(bool HasReadyToRunCode, Machine Machine)
{
    private const uint ReadyToRunSignature = 0x00525452; // "RTR"

    public static ReadyToRunImage Read(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image, writable: false));
        var cor = pe.PEHeaders.CorHeader ?? throw new InvalidOperationException("not a managed assembly");
        var header = cor.ManagedNativeHeaderDirectory;
        bool hasCode = (cor.Flags & CorFlags.ILLibrary) != 0 && header.Size > 0
            && pe.GetSectionData(header.RelativeVirtualAddress).GetReader().ReadUInt32() == ReadyToRunSignature;
        return new ReadyToRunImage(hasCode, pe.PEHeaders.CoffHeader.Machine);
    }

    /// <summary>The COFF machine of a ReadyToRun image compiled for the platform this test runs on.</summary>
    public static Machine ThisPlatform()
    {
        var machine = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => Machine.Amd64,
            Architecture.Arm64 => Machine.Arm64,
            Architecture.X86 => Machine.I386,
            var other => throw new PlatformNotSupportedException(other.ToString()),
        };
        // The OS constants of the runtime's pal (readytorun.h): none on Windows.
        ushort os = OperatingSystem.IsLinux() ? (ushort)0x7B79 : OperatingSystem.IsMacOS() ? (ushort)0x4644 : OperatingSystem.IsFreeBSD() ? (ushort)0xADC4 : (ushort)0;
        return (Machine)((ushort)machine ^ os);
    }
}
