using PatchGen.Runtime;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A patch of a method that has an inline clone (site format 4, docs/patch-sites.md "Inline clones"), end to end:
/// the base is instrumented with the defaults, so <c>Rate</c> gets a site-less clone that <c>Quote</c> calls, and the
/// JIT inlines it there with no check. The fix changes <c>Rate</c> and <c>Fee</c> together; <c>Quote</c> reads one,
/// spins, then the other, and counts a chain that sees one of them old and the other new. Without the emitter
/// replacing <c>Quote</c> too, a thread inside <c>Quote</c> would switch to the patch between the two reads (nothing
/// of the patch would be on its stack), and every call after the patch would still run the old <c>Rate</c>.
/// </summary>
public class InlineClonePatchTests
{
    private const string V1 = """
        using System.Runtime.CompilerServices;
        using System.Threading;
        namespace Clones;

        public static class Pricing
        {
            public static long Mixed;
            public static volatile bool Stop;

            // Small: cloned, and the clone is what Quote calls (and the JIT inlines).
            public static int Rate() => 1;

            // Not cloned (NoInlining): called through its site.
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static int Fee() => 1;

            public static int Quote()
            {
                int rate = Rate();
                Thread.SpinWait(100);
                int fee = Fee();
                if (rate != fee)
                    Interlocked.Increment(ref Mixed);
                return rate * 10 + fee;
            }

            // Calls Quote's clone, which runs Rate's: replaced with them, though never started here.
            public static int Loop()
            {
                int sum = 0;
                while (!Stop)
                    sum += Quote();
                return sum;
            }
        }
        """;

    private static readonly string V2 = V1.Replace("public static int Rate() => 1;", "public static int Rate() => 2;", StringComparison.Ordinal)
        .Replace("public static int Fee() => 1;", "public static int Fee() => 2;", StringComparison.Ordinal);

    [Fact]
    public void TheCallersOfTheCloneAreReplacedAndNoChainMixes()
    {
        var inline = InlinePatch.Create("InlineCloneCallers", V1, V2);
        var patched = Assert.Single(inline.Build.Bases);
        // Quote calls Rate's clone; Loop calls Quote's clone, which calls Rate's: both replaced, unchanged.
        Assert.Equal("M:Clones.Pricing.Rate", patched.Carried["M:Clones.Pricing.Quote"]);
        Assert.Equal("M:Clones.Pricing.Rate", patched.Carried["M:Clones.Pricing.Loop"]);
        Assert.Equal(
            ["M:Clones.Pricing.Fee", "M:Clones.Pricing.Loop", "M:Clones.Pricing.Quote", "M:Clones.Pricing.Rate"],
            patched.Replaced.Select(r => r.DocumentationId).Order(StringComparer.Ordinal));

        var type = inline.Live.GetType("Clones.Pricing", throwOnError: true)!;
        var quote = type.GetMethod("Quote")!.CreateDelegate<Func<int>>();
        AcrossEnableAndDisable(inline, quote, () => (long)type.GetField("Mixed")!.GetValue(null)!);
    }

    /// <summary>
    /// The widened rule's shapes: <c>Rate</c> is an interface implementation (<c>virtual final</c> in IL) whose body
    /// holds a lock (a <c>try</c>/<c>finally</c>), so it is cloned only since clones take final methods and bodies with
    /// exception handlers; <c>Quote</c> calls it directly, so the patch of <c>Rate</c> must replace <c>Quote</c> too.
    /// </summary>
    [Fact]
    public void AFinalMethodWithAHandlerIsClonedAndItsCallersAreReplaced()
    {
        const string v1 = """
            using System.Runtime.CompilerServices;
            using System.Threading;
            namespace Clones;

            public interface IRated
            {
                int Rate();
            }

            public sealed class Desk : IRated
            {
                public static long Mixed;
                private readonly object _gate = new object();

                // Final (it implements IRated) and a try/finally (the lock): cloned; Quote calls the clone.
                public int Rate()
                {
                    lock (_gate)
                        return 1;
                }

                [MethodImpl(MethodImplOptions.NoInlining)]
                public int Fee() => 1;

                public int Quote()
                {
                    int rate = Rate();
                    Thread.SpinWait(100);
                    int fee = Fee();
                    if (rate != fee)
                        Interlocked.Increment(ref Mixed);
                    return rate * 10 + fee;
                }

                // Through the interface: the original, with its site; not a caller of the clone.
                public static int ViaInterface(IRated rated) => rated.Rate();
            }
            """;
        string v2 = v1.Replace("return 1;", "return 2;", StringComparison.Ordinal)
            .Replace("public int Fee() => 1;", "public int Fee() => 2;", StringComparison.Ordinal);
        var inline = InlinePatch.Create("InlineCloneFinalHandler", v1, v2);
        var patched = Assert.Single(inline.Build.Bases);
        Assert.Equal("M:Clones.Desk.Rate", patched.Carried["M:Clones.Desk.Quote"]);
        Assert.Equal(
            ["M:Clones.Desk.Fee", "M:Clones.Desk.Quote", "M:Clones.Desk.Rate"],
            patched.Replaced.Select(r => r.DocumentationId).Order(StringComparer.Ordinal));

        var type = inline.Live.GetType("Clones.Desk", throwOnError: true)!;
        var desk = Activator.CreateInstance(type)!;
        var quote = type.GetMethod("Quote")!.CreateDelegate<Func<int>>(desk);
        var viaInterface = type.GetMethod("ViaInterface")!;
        AcrossEnableAndDisable(inline, quote, () => (long)type.GetField("Mixed")!.GetValue(null)!,
            afterEnable: () => Assert.Equal(2, (int)viaInterface.Invoke(null, [desk])!));
    }

    private static void AcrossEnableAndDisable(InlinePatch inline, Func<int> quote, Func<long> mixed, Action? afterEnable = null)
    {
        Assert.Equal(11, quote());

        // Threads inside Quote (called through its site, as from another assembly) across enable and disable.
        using var stop = new CancellationTokenSource();
        var seen = new int[4][];
        var workers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
        {
            var counts = seen[w] = new int[2];
            while (!stop.IsCancellationRequested)
            {
                int answer = quote();
                counts[answer == 22 ? 1 : 0]++;
            }
        }) { IsBackground = true, Name = "inline-clone-" + w }).ToList();
        workers.ForEach(w => w.Start());
        try
        {
            for (int round = 0; round < 3; round++)
            {
                var info = PatchRuntime.Enable(inline.PatchPath);
                Transitions.Complete();
                Assert.Equal(22, quote());
                afterEnable?.Invoke();
                PatchRuntime.Disable(info.Id);
                Transitions.Complete();
                Assert.Equal(11, quote());
                Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
            }
        }
        finally
        {
            stop.Cancel();
            Assert.All(workers, w => Assert.True(w.Join(TimeSpan.FromSeconds(10)), w.Name + " did not stop"));
        }
        Assert.True(mixed() == 0, $"{mixed()} call chains saw one of Rate and Fee old and the other new");
        Assert.All(seen, counts => Assert.True(counts[0] > 0, "a worker never ran"));
    }
}
