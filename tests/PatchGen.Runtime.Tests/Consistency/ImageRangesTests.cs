using System.Reflection;
using System.Runtime.CompilerServices;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests.Consistency;

/// <summary>
/// ImageRanges tells precompiled code (skipped by the certifier) from jitted code (judged, or counted as
/// inside when the runtime's events have not named it yet). Jitted code must never look precompiled:
/// with W^X the JIT's code heap is an executable mapping of <c>/memfd:doublemapper</c>.
/// </summary>
public sealed class ImageRangesTests
{
    [Fact]
    public void JittedCodeIsNotInAnImage()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var jitted = typeof(ImageRangesTests).GetMethod(nameof(Jitted), BindingFlags.NonPublic | BindingFlags.Static)!;
        RuntimeHelpers.PrepareMethod(jitted.MethodHandle);

        var images = ImageRanges.Read();
        Assert.Equal(8, Jitted(1));
        // The method's entry point (its precode, in the runtime's executable stub memory) and, through it, code
        // the JIT wrote: both are in memory the runtime maps, never in an image file.
        Assert.Null(images.FileAt((ulong)jitted.MethodHandle.GetFunctionPointer()));
    }

    [Fact]
    public void NativeCodeOfTheRuntimeIsInAnImage()
    {
        if (!OperatingSystem.IsLinux())
            return;
        // The negative control: the reading finds images at all (libcoreclr.so's code is one).
        var maps = File.ReadAllLines("/proc/self/maps").Where(l => l.Contains("libcoreclr.so") && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1][2] == 'x').ToList();
        Assert.NotEmpty(maps);
        var start = Convert.ToUInt64(maps[0].Split('-')[0], 16);
        Assert.EndsWith("libcoreclr.so", ImageRanges.Read().FileAt(start));
    }

    [Fact]
    public void TheMapsTextIsReadAsTheKernelWritesIt()
    {
        // Every shape of line /proc/self/maps has: an image, a path with spaces, a deleted file, the JIT's
        // double-mapped code heap (a memory file, never an image), anonymous and special mappings, mappings that are
        // not executable, and a last line without its newline.
        string maps = string.Join('\n',
            "7f0000001000-7f0000002000 r-xp 00001000 08:01 1234                       /usr/lib/libc.so.6",
            "7f0000002000-7f0000003000 r--p 00002000 08:01 1234                       /usr/lib/libc.so.6",
            "7f0000004000-7f0000005000 r-xp 00000000 08:01 99                         /opt/my app/lib native.so",
            "7f0000006000-7f0000007000 r-xp 00000000 08:01 98                         /tmp/gone.so (deleted)",
            "7f0000008000-7f0000009000 r-xp 00000000 00:01 5                          /memfd:doublemapper (deleted)",
            "7f000000a000-7f000000b000 rwxp 00000000 00:00 0 ",
            "7ffc00000000-7ffc00001000 r-xp 00000000 00:00 0                          [vdso]",
            "00400000-00401000 r-xp 00000000 08:01 77                                 /usr/bin/dotnet");

        var ranges = ImageRanges.Parse(System.Text.Encoding.UTF8.GetBytes(maps));

        Assert.Equal(
            new (ulong, ulong, string)[]
            {
                (0x400000, 0x401000, "/usr/bin/dotnet"),
                (0x7f0000001000, 0x7f0000002000, "/usr/lib/libc.so.6"),
                (0x7f0000004000, 0x7f0000005000, "/opt/my app/lib native.so"),
                (0x7f0000006000, 0x7f0000007000, "/tmp/gone.so (deleted)"),
            },
            ranges);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Jitted(int x) => (x * 7) + 1;
}
