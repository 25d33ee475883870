using System.Reflection;
using Mono.Cecil;
using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A patch of a method with an outlined body (site format 5, docs/patch-sites.md "Outlined bodies"), end to end: the
/// base's large method forwards to its site-less clone, the diff engine sees the method's own body, the patch's
/// <c>[Original]</c> is the old body, the patch applies, runs the new body and reverses, and a thread inside the clone
/// alone holds the transition.
/// </summary>
public class OutlinedBodyPatchTests
{
    // Hold is large (over 128 bytes of IL): outlined. Version is NoInlining: called through its site.
    private const string V1 = """
        using System.Runtime.CompilerServices;
        using System.Text;
        using System.Threading;
        namespace Outlined;

        public static class Quotes
        {
            public static readonly ManualResetEventSlim Entered = new(false);
            public static readonly ManualResetEventSlim Gate = new(false);
            public static volatile bool Blocking;

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static int Version() => 1;

            public static int Hold(string label)
            {
                var text = new StringBuilder();
                int hash = 17;
                foreach (char c in label)
                {
                    hash = unchecked(hash * 31 + c);
                    if (c == ',')
                        text.Append(';');
                    else
                        text.Append(char.ToUpperInvariant(c));
                }
                if (text.Length > 1000 || hash == int.MinValue)
                    return -text.Length;
                if (Blocking)
                {
                    Entered.Set();
                    Gate.Wait();
                }
                return Version() * 10 + 1 + (text.ToString().Contains("##") ? 100 : 0);
            }
        }
        """;

    private static readonly string V2 = V1.Replace("public static int Version() => 1;", "public static int Version() => 2;", StringComparison.Ordinal)
        .Replace("return Version() * 10 + 1 +", "return Version() * 10 + 2 +", StringComparison.Ordinal);

    private static readonly InstrumentOptions Outlining = new() { CopyRuntime = false, OutlineBodiesOver = SiteEligibility.InlineCloneDefaultSize };

    private static readonly Lazy<InlinePatch> Patch = new(() => InlinePatch.Create("OutlinedBody", V1, V2, options: Outlining));

    private static MethodInfo Method(string name)
        => Patch.Value.Live.GetType("Outlined.Quotes", throwOnError: true)!.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    [Fact]
    public void ThePatchOfAnOutlinedMethodCarriesItsOldBodyAndReplacesNothingMore()
    {
        var inline = Patch.Value;
        Assert.Equal(PatchSiteFormat.Version, SiteRegistry.For(inline.Live)!.FormatVersion);
        Assert.NotNull(Method(PatchSiteFormat.InlineClonePrefix + "Hold"));
        // Direct calls keep naming Hold: the patch replaces what changed, and no caller of the clone.
        var patched = Assert.Single(inline.Build.Bases);
        Assert.Empty(patched.Carried);
        Assert.Equal(["M:Outlined.Quotes.Hold(System.String)", "M:Outlined.Quotes.Version"], patched.Replaced.Select(r => r.DocumentationId).Order(StringComparer.Ordinal));

        using var patch = AssemblyDefinition.ReadAssembly(inline.PatchPath);
        var format = patch.CustomAttributes.Single(a => a.AttributeType.Name == "PatchAttribute").Properties.Single(p => p.Name == PatchFormat.FormatVersionProperty);
        Assert.Equal(PatchFormat.OutlinedBodyAware, (int)format.Argument.Value);
        // [Original] of Hold is the old body (what the plain v1 has), not the forwarder.
        var original = patch.MainModule.GetTypes().SelectMany(t => t.Methods).Single(m => m.CustomAttributes.Any(a => a.AttributeType.Name == "OriginalAttribute"
            && (string)a.ConstructorArguments[0].Value == "M:Outlined.Quotes.Hold(System.String)"));
        using var plain = AssemblyDefinition.ReadAssembly(Path.Combine(inline.Directory, "v1", "Inline.OutlinedBody.dll"));
        var plainHold = plain.MainModule.GetType("Outlined.Quotes").Methods.Single(m => m.Name == "Hold");
        Assert.Equal(plainHold.Body.Instructions.Select(i => i.OpCode.Name), original.Body.Instructions.Select(i => i.OpCode.Name));
        Assert.DoesNotContain(original.Body.Instructions, i => i.Operand is MethodReference m && m.Name.StartsWith(PatchSiteFormat.InlineClonePrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// A thread inside the clone with nothing of the patch below it (what a tail call from the forwarder leaves: the
    /// JIT compiles <c>call c$Hold; ret</c> as a jump) holds the transition of Hold, and the old body it finishes calls
    /// the old Version. Then the patch runs the new body and reverses. Without the runtime counting the clone's frame
    /// as Hold (PatchSite.Clone), the transition completes at once and the old body returns the new Version (21).
    /// </summary>
    [Fact]
    public void AThreadInsideTheOutlinedBodyHoldsTheTransitionAndThePatchReverses()
    {
        var inline = Patch.Value;
        var hold = Method("Hold").CreateDelegate<Func<string, int>>();
        var inClone = Method(PatchSiteFormat.InlineClonePrefix + "Hold").CreateDelegate<Func<string, int>>();
        var type = inline.Live.GetType("Outlined.Quotes", throwOnError: true)!;
        var entered = (ManualResetEventSlim)type.GetField("Entered")!.GetValue(null)!;
        var gate = (ManualResetEventSlim)type.GetField("Gate")!.GetValue(null)!;
        Assert.Equal(11, hold("a,b"));

        type.GetField("Blocking")!.SetValue(null, true);
        int answer = -1;
        var thread = new Thread(() => answer = inClone("a,b")) { IsBackground = true, Name = "in-outlined-body" };
        thread.Start();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        var info = PatchRuntime.Enable(inline.PatchPath);
        try
        {
            Assert.False(PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(1)).Completed, "the transition completed while a thread ran the old body of Hold in its outlined clone");
            type.GetField("Blocking")!.SetValue(null, false);
            gate.Set();
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
            Assert.Equal(11, answer); // the old body with the old Version: not mixed
            Transitions.Complete();
            Assert.Equal(22, hold("a,b"));
        }
        finally
        {
            type.GetField("Blocking")!.SetValue(null, false);
            gate.Set();
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
        }
        Assert.Equal(11, hold("a,b"));
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// An outlined method with few direct callers (<see cref="InstrumentOptions.OutlineRetargetMaxCallers"/>): its one
    /// caller, Total, names the moved body <c>c$Quote</c> and runs it without Quote's check (inlined or called), so the
    /// patch of Quote must replace Total too (the diff engine lists it, the emitter carries it with the base's body),
    /// and after the transition Total runs the new Quote. Without Total in the patch, Total would go on running the old
    /// body, which then calls the new Fee through Fee's site: 12, old and new mixed, instead of 22.
    /// </summary>
    [Fact]
    public void ThePatchOfAnOutlinedMethodReplacesTheCallersThatNameItsMovedBody()
    {
        const string Caller = """

            public static class Till
            {
                public static int Total(string label) => Desk.Quote(label) + 1000;
            }
            """;
        string v2 = QuoteV1.Replace("int mine = 1;", "int mine = 2;", StringComparison.Ordinal)
            .Replace("public static int Fee() => 1;", "public static int Fee() => 2;", StringComparison.Ordinal);
        var retargeting = new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = SiteEligibility.InlineCloneDefaultSize, OutlineRetargetMaxCallers = 1 };
        var inline = InlinePatch.Create("OutlinedRetargeted", QuoteV1 + Caller, v2 + Caller, options: retargeting);

        var till = inline.Live.GetType("Outlined.Till", throwOnError: true)!;
        using (var live = AssemblyDefinition.ReadAssembly(till.Assembly.Location))
        {
            var totalIl = live.MainModule.GetType("Outlined.Till").Methods.Single(m => m.Name == "Total");
            Assert.Contains(totalIl.Body.Instructions, i => i.Operand is MethodReference { Name: PatchSiteFormat.InlineClonePrefix + "Quote" });
        }
        var patched = Assert.Single(inline.Build.Bases);
        Assert.Equal("M:Outlined.Desk.Quote(System.String)", patched.Carried["M:Outlined.Till.Total(System.String)"]);
        Assert.Equal(["M:Outlined.Desk.Fee", "M:Outlined.Desk.Quote(System.String)", "M:Outlined.Till.Total(System.String)"],
            patched.Replaced.Select(r => r.DocumentationId).Order(StringComparer.Ordinal));

        var total = till.GetMethod("Total")!.CreateDelegate<Func<string, int>>();
        Assert.Equal(1011, total("a,b"));
        var info = PatchRuntime.Enable(inline.PatchPath);
        try
        {
            Transitions.Complete();
            Assert.Equal(1022, total("a,b"));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
        }
        Assert.Equal(1011, total("a,b"));
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    // Quote is large (outlined); it reads its own constant, spins, then calls Fee through Fee's site, and counts a chain
    // that saw one old and the other new. The fix changes both.
    private const string QuoteV1 = """
        using System.Runtime.CompilerServices;
        using System.Text;
        using System.Threading;
        namespace Outlined;

        public static class Desk
        {
            public static long Mixed;

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static int Fee() => 1;

            public static int Quote(string label)
            {
                int mine = 1;
                var text = new StringBuilder();
                foreach (char c in label)
                {
                    if (c == ',')
                        text.Append(';');
                    else
                        text.Append(char.ToUpperInvariant(c));
                }
                if (text.Length > 1000 || text.ToString().Contains("##"))
                    return -text.Length;
                Thread.SpinWait(200);
                int fee = Fee();
                if (fee != mine)
                    Interlocked.Increment(ref Mixed);
                return mine * 10 + fee + (text.Length > 500 ? 1 : 0);
            }
        }
        """;

    /// <summary>
    /// Threads run the outlined Quote (its forwarder, then its body in the clone) across enable and disable: no call
    /// chain sees Quote's body and Fee from different generations, whether the JIT left Quote's frame on the stack,
    /// compiled its call of the clone as a jump, or inlined the forwarder into the caller.
    /// </summary>
    [Fact]
    public void NoCallChainThroughAnOutlinedBodyMixesAcrossEnableAndDisable()
    {
        string v2 = QuoteV1.Replace("int mine = 1;", "int mine = 2;", StringComparison.Ordinal)
            .Replace("public static int Fee() => 1;", "public static int Fee() => 2;", StringComparison.Ordinal);
        var inline = InlinePatch.Create("OutlinedQuote", QuoteV1, v2, options: Outlining);
        var type = inline.Live.GetType("Outlined.Desk", throwOnError: true)!;
        Assert.NotNull(type.GetMethod(PatchSiteFormat.InlineClonePrefix + "Quote", BindingFlags.NonPublic | BindingFlags.Static));
        Assert.Empty(Assert.Single(inline.Build.Bases).Carried);
        var quote = type.GetMethod("Quote")!.CreateDelegate<Func<string, int>>();
        Assert.Equal(11, quote("a,b"));

        using var stop = new CancellationTokenSource();
        var seen = new int[4][];
        var workers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
        {
            var counts = seen[w] = new int[2];
            while (!stop.IsCancellationRequested)
                counts[quote("a,b") == 22 ? 1 : 0]++;
        }) { IsBackground = true, Name = "outlined-" + w }).ToList();
        workers.ForEach(w => w.Start());
        // Time to tier up: optimized, the forwarder's call of the clone becomes a jump and Quote's frame is gone.
        Thread.Sleep(1000);
        try
        {
            for (int round = 0; round < 4; round++)
            {
                var info = PatchRuntime.Enable(inline.PatchPath);
                Transitions.Complete();
                Assert.Equal(22, quote("a,b"));
                PatchRuntime.Disable(info.Id);
                Transitions.Complete();
                Assert.Equal(11, quote("a,b"));
                Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
            }
        }
        finally
        {
            stop.Cancel();
            Assert.All(workers, w => Assert.True(w.Join(TimeSpan.FromSeconds(10)), w.Name + " did not stop"));
        }
        long mixed = (long)type.GetField("Mixed")!.GetValue(null)!;
        Assert.True(mixed == 0, $"{mixed} call chains saw Quote's body and Fee from different generations");
        Assert.All(seen, counts => Assert.True(counts[0] > 0, "a worker never ran"));
    }
}
