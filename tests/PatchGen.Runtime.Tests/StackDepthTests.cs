using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using PatchGen.TestSupport;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Issue 14, item 6: instrumented code overflowed the stack at a quarter of the plain build's depth, because every
/// tracked method carried a shadow-stack push, a try/finally and the dispatch in its own frame. A format-2 site
/// adds a static load and a branch, and nothing to the frame: the same recursion, plain and instrumented, loaded
/// side by side in this process, must use the same stack per level (the goal is 90 % of the plain depth at least;
/// this asserts within 10 %). Stack addresses, not timings: deterministic. First calls (tier 0) only: that is where
/// a frame's size is the code's own, with no inlining. Optimized code is measured by the <c>stack</c> benchmark
/// after a real tier-up (100 % of the plain depth); with <c>AggressiveOptimization</c> (no profile) the JIT inlines
/// one level of a small recursion into itself in the plain build and not in the instrumented one, which halves
/// that method's depth: an inlining decision, the subject of docs/benchmarks.md, not a frame cost.
/// </summary>
public sealed class StackDepthTests
{
    private const string Source = """
        using System.Runtime.CompilerServices;
        namespace Probe;

        public static unsafe class Recursion
        {
            // Not a tail call (the + 1 after it), so every level keeps its frame.
            public static nint Countdown(int depth) => depth == 0 ? Here() : Countdown(depth - 1) + 1;

            public static nint Parse(int depth) { int width = depth % 3; nint total = 0; for (int i = 0; i <= width; i++) total += i; return depth == 0 ? Here() + total - total : Parse(depth - 1) + 1; }

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static nint Here() { int local = 0; return (nint)(&local) + local; }
        }
        """;

    [Theory]
    [InlineData("Countdown")]
    [InlineData("Parse")]
    public void AnInstrumentedRecursionUsesTheStackOfThePlainOne(string method)
    {
        var name = "StackProbe_" + Guid.NewGuid().ToString("N")[..6];
        var plainPath = InlineAssembly.Compile(InlineAssembly.TempDirectory("stack-plain"), name, Source);
        var plain = new AssemblyLoadContext(name + "-plain").LoadFromAssemblyPath(plainPath);
        var instrumented = ProbeBase.CreateInstrumented(Source).Assembly;

        double plainBytes = BytesPerFrame(plain, method);
        double instrumentedBytes = BytesPerFrame(instrumented, method);

        Assert.True(plainBytes > 0, $"plain: {plainBytes} bytes per frame");
        Assert.True(instrumentedBytes <= plainBytes * 1.1, $"{method}: instrumented {instrumentedBytes:0.0} bytes per frame, plain {plainBytes:0.0}");
    }

    /// <summary>The stack one level of the recursion takes: the bottom's address at two depths, on one thread.</summary>
    private static double BytesPerFrame(Assembly assembly, string method)
    {
        var recurse = assembly.GetType("Probe.Recursion")!.GetMethod(method)!.CreateDelegate<Func<int, nint>>();
        const int shallow = 100, deep = 2100;
        nint atShallow = 0, atDeep = 0;
        var thread = new Thread(() =>
        {
            atShallow = recurse(shallow) - shallow;
            atDeep = recurse(deep) - deep;
        }, 1 << 20);
        thread.Start();
        Assert.True(thread.Join(RuntimeFixture.Bound));
        return (double)(atShallow - atDeep) / (deep - shallow);
    }
}
