using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using PatchGen.Macro.InProcess;

namespace PatchGen.Macro.Stack;

/// <summary>
/// The child process of the <c>stack</c> command, one measurement per process (a stack overflow ends the process,
/// which only the parent survives):
/// <list type="bullet">
/// <item><c>stack-child probe &lt;dll&gt; &lt;method&gt; &lt;first|tiered&gt;</c>: stack bytes per frame, from the stack pointer
/// at the bottom of two recursions of different depth; prints <c>bytes-per-frame=N</c>.</item>
/// <item><c>stack-child depth &lt;dll&gt; &lt;method&gt; &lt;first|tiered&gt; &lt;depth&gt;</c>: recurses that deep; prints <c>ok</c> or dies
/// of the stack overflow.</item>
/// </list>
/// Every recursion runs on a new thread with a 1 MiB stack. <c>first</c> measures the first calls of the method
/// (tier-0 code); <c>tiered</c> first calls it shallowly for <see cref="TierUpTime"/>, long past its promotion to
/// tier 1 (30 calls, 100 ms without new tier-0 code, the background compile).
/// </summary>
internal static unsafe class StackChild
{
    public const int StackSize = 1 << 20;
    private static readonly TimeSpan TierUpTime = TimeSpan.FromSeconds(1.5);
    private static nint s_bottom;

    public static int Run(IReadOnlyList<string> args)
    {
        var (mode, dll, method, phase) = (args[0], args[1], args[2], args[3]);
        var assembly = new VariantLoadContext("stack-child", Path.GetDirectoryName(dll)!).LoadMain(Path.GetFileName(dll));
        var recurse = new RecursionTarget(assembly).Recurser(method, Probe);
        if (phase == "tiered")
            WarmUp(recurse);
        switch (mode)
        {
            case "probe":
                // Two depths on the same thread (stack addresses of different threads do not compare), far
                // enough apart that the frames in between dominate; the frames above the method (thread start,
                // delegate) are the same in both and cancel out.
                const int shallow = 100, deep = 2100;
                nint atShallow = 0, atDeep = 0;
                OnBigStack(() =>
                {
                    recurse(shallow);
                    atShallow = s_bottom;
                    recurse(deep);
                    atDeep = s_bottom;
                });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes-per-frame={(double)(atShallow - atDeep) / (deep - shallow):0.00}"));
                return 0;
            case "depth":
                OnBigStack(() => recurse(int.Parse(args[4], CultureInfo.InvariantCulture)));
                Console.WriteLine("ok");
                return 0;
            default:
                throw new ArgumentException("unknown stack-child mode " + mode);
        }
    }

    /// <summary>
    /// Calls the method shallowly for at least <see cref="TierUpTime"/> and then until the JIT has compiled nothing
    /// for <see cref="JitQuiet"/> (at most <see cref="WarmUpLimit"/>). A fixed time was not enough on a loaded
    /// machine: the runtime promotes to tier 1 only after 100 ms without new tier-0 code, and any thread that keeps
    /// compiling (PatchGen's observation reader starting up, in the instrumented child) pushes that back, so the
    /// depth child sometimes measured tier-0 code while the probe child had measured tier 1.
    /// </summary>
    private static void WarmUp(Action<int> recurse)
    {
        var clock = Stopwatch.StartNew();
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < WarmUpLimit)
        {
            for (int i = 0; i < 1000; i++)
                recurse(32);
            Thread.Sleep(1); // room for the tiering thread on a busy machine
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = clock.Elapsed;
            }
            else if (clock.Elapsed >= TierUpTime && clock.Elapsed - quietSince >= JitQuiet)
            {
                return;
            }
        }
    }

    private static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="body"/> on a new thread with a 1 MiB stack.</summary>
    private static void OnBigStack(Action body)
    {
        var thread = new Thread(() => body(), StackSize);
        thread.Start();
        thread.Join();
    }

    /// <summary>Called at the deepest frame: records the address of one of its own locals.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Probe()
    {
        int local = 0;
        s_bottom = (nint)(&local);
        return local;
    }
}
