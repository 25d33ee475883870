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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Jitted(int x) => (x * 7) + 1;
}
