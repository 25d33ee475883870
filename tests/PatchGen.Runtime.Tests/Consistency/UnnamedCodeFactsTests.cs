using System.Net;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests.Consistency;

/// <summary>
/// A method of a patchable assembly whose code the JIT's record does not name has no recorded code (NoCode, not "recorded,
/// inlined nothing"): a thread's own check catches up, and if the record still names no code, what that code inlined is
/// unknown and its IL answers, cautiously (docs/consistency-model.md, "Limits", ReadyToRun).
/// Before, such a method read as "recorded, inlined nothing", and a thread's own check cleared a frame of ReadyToRun
/// code of a patchable assembly, or of a first code version published before its event. A framework method keeps its
/// empty record (its precompiled code cannot hold a patchable assembly's methods).
/// </summary>
public sealed class UnnamedCodeFactsTests : IDisposable
{
    private const string Source = """
        namespace Probe;

        public class Calc
        {
            public int Step(int x) => x + 1;

            // Never called: the JIT never compiles it, and no event names code of it.
            public int Never(int x) => Step(x) * 2;

            public int Called(int x) => Step(x) * 3;
        }
        """;

    private readonly PatchEngine _engine = new(nameof(UnnamedCodeFactsTests));

    public void Dispose() => RuntimeFixture.Settle(_engine);

    [Fact]
    public void APatchableMethodWithNoRecordedCodeIsNoCodeAndAFrameworkMethodKeepsItsEmptyRecord()
    {
        var probe = ProbeBase.CreateInstrumented(Source);
        var calc = probe.Calc.GetType();
        // Observation runs once an instrumented module has initialized; a call compiles Called (and starts it).
        Assert.Equal(9, (int)calc.GetMethod("Called")!.Invoke(probe.Calc, new object[] { 2 })!);
        var source = InlineKnowledge.Source;
        Assert.NotNull(source);
        Assert.True(source.CatchUp(RuntimeFixture.Bound), "the record did not catch up");

        Assert.Equal(InlineEvidence.NoCode, source.FactsOf(calc.GetMethod("Never"))?.Evidence);
        // The oracle that the lookup itself works: the method that ran has a record.
        Assert.NotNull(source.FactsOf(calc.GetMethod("Called")));

        // Never called in this process either; the framework's empty record stands.
        var framework = typeof(WebUtility).GetMethod(nameof(WebUtility.UrlDecodeToBytes), new[] { typeof(byte[]), typeof(int), typeof(int) });
        Assert.NotNull(framework);
        Assert.True(StaticInlining.BuiltWithoutTheApplication(framework.Module.Assembly));
        Assert.Equal(InlineEvidence.Recorded, source.FactsOf(framework)?.Evidence);
    }

    [Fact]
    public void AFrameOfNoRecordedCodeWaitsForACatchUpThenCountsAsInsideWhatItsIlReaches()
    {
        // Outer calls Inner, which the patch changes; Outer is never called, so no code of it is recorded. A parked
        // thread inside the old Block holds the transition, so its changes can be read.
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "parked-nocode");
        _engine.Enable(probe.Patch("nocode-1", ProbeBase.Inner("x + 2") + ProbeBase.Block("-1")));
        var changes = _engine.ChangesAfter(0);
        var outer = probe.Calc.GetType().GetMethod("Outer")!;
        Assert.True(InlineKnowledge.Source!.CatchUp(RuntimeFixture.Bound));
        Assert.Equal(InlineEvidence.NoCode, InlineKnowledge.Source.FactsOf(outer)?.Evidence);

        // A thread's first look: code compiled a moment ago looks the same, so the answer rests on a catch-up.
        Assert.Null(InlineKnowledge.InlinedChange(outer, changes, null, out bool fromFacts));
        Assert.True(fromFacts, "a frame of unrecorded code was cleared without a catch-up");
        // After the catch-up, and for the certifier: unknown code, judged by its IL, which reaches Inner.
        Assert.Equal("M:Probe.Calc.Inner(System.Int32)", ThreadStackVerdict.Describe(InlineKnowledge.InlinedChange(outer, changes, null, out _, caughtUp: true)!));
        Assert.Equal("M:Probe.Calc.Inner(System.Int32)", ThreadStackVerdict.Describe(InlineKnowledge.InlinedChange(outer, changes, null)!));

        RuntimeFixture.Release(probe, parked);
        RuntimeFixture.WaitCompleted(_engine);
    }
}
