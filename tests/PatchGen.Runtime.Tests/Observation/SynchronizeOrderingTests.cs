using System.Diagnostics;
using PatchGen.Runtime.Observation;
using PatchGen.Runtime.Tests.Observation.Crafted;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// <see cref="RuntimeEventSession.Synchronize"/> against the order in which the runtime really writes events: at each
/// flush, one thread's events, then the next thread's (NetTrace V4+), so another thread's event for a method compiled
/// before the call can follow the marker. The stream is crafted and fed block by block (<see cref="CraftedSession"/>):
/// each case puts the events where the race puts them, and writes the ones that must be waited for only once a
/// Synchronize that did not wait for them would already have returned. No case depends on timing to pass or to fail.
/// docs/consistency-model.md, "Freshness".
/// </summary>
public sealed class SynchronizeOrderingTests
{
    // The thread that calls Synchronize (its markers are compiled there), and others that compile concurrently.
    private const long Syncing = 1001;
    private const long Other = 2002;
    private const long Third = 3003;

    [Fact]
    public void AMarkerFlaggedSortedIsEnough()
    {
        using var crafted = new CraftedSession();
        var sync = crafted.SynchronizeInBackground();
        MarkerRequest marker = crafted.NextMarker();

        // The syncing thread's first event of the flush: flagged sorted, and later than the call.
        crafted.Write(crafted.MarkerLoad(Syncing, marker, sorted: true));

        Assert.True(CraftedSession.Within(sync, "Synchronize did not return").Synchronized);
        Assert.Equal(1, crafted.MarkersRequested);
        Assert.InRange(crafted.Session.CaughtUpThrough, 1, marker.CompiledAt);
    }

    [Fact]
    public void AnotherThreadsCompilationFromBeforeTheCallThatFollowsTheMarkerIsWaitedFor()
    {
        using var crafted = new CraftedSession();
        MethodLoadRecord earlier = crafted.Method("CompiledEarlier");
        MethodLoadRecord compiledBefore = crafted.Method("CompiledJustBeforeTheCall");
        MethodLoadRecord inlinee = crafted.Method("ItsInlinee");
        long before = Stopwatch.GetTimestamp() - 100;
        var sync = crafted.SynchronizeInBackground(() => crafted.Map.LatestVersionOf(compiledBefore.MethodId));
        MarkerRequest marker = crafted.NextMarker();

        // The marker's flush, the syncing thread's run first: its oldest event (sorted) predates the call, the marker
        // follows unsorted. The other thread's run, all of it older than the call, comes after it in the same flush
        // but is not written yet: a Synchronize that took the marker alone as enough returns now.
        crafted.Write(crafted.Load(Syncing, before - 50, sorted: true, earlier), crafted.MarkerLoad(Syncing, marker, sorted: false));
        Task<MarkerRequest> second = crafted.NextMarkerAsync();
        Assert.True(CraftedSession.First(sync, second) == second, "Synchronize returned on the marker alone, before the other thread's older events were read");

        // Only unsorted events of another thread, among them the compilation (with its inlining) of a method compiled
        // before the call.
        crafted.Write(
            crafted.JittingStarted(Other, before - 30, sorted: false, compiledBefore),
            crafted.Inlining(Other, before - 20, sorted: false, compiledBefore, inlinee),
            crafted.Load(Other, before - 10, sorted: false, compiledBefore));
        crafted.Write(crafted.MarkerLoad(Syncing, CraftedSession.Within(second, "no second marker"), sorted: true));

        (bool synchronized, CodeVersion? seen) = CraftedSession.Within(sync, "Synchronize did not return");
        Assert.True(synchronized);
        Assert.NotNull(seen);
        Assert.Equal([inlinee.Method], seen.Inlinees!);
        Assert.Equal(2, crafted.MarkersRequested);
    }

    [Fact]
    public void ASortedEventOlderThanTheCallDoesNotEndIt()
    {
        using var crafted = new CraftedSession();
        MethodLoadRecord older = crafted.Method("OlderThanTheCall");
        long before = Stopwatch.GetTimestamp() - 100;
        var sync = crafted.SynchronizeInBackground();
        MarkerRequest marker = crafted.NextMarker();

        // After the marker, another thread's event flagged sorted: every event older than it has been read, but it is
        // older than the call, so it says nothing of what was compiled between it and the call.
        crafted.Write(crafted.MarkerLoad(Syncing, marker, sorted: false));
        crafted.Write(crafted.Load(Other, before, sorted: true, older));
        Task<MarkerRequest> second = crafted.NextMarkerAsync();
        Assert.True(CraftedSession.First(sync, second) == second, "a sorted event older than the call ended Synchronize");

        crafted.Write(crafted.MarkerLoad(Syncing, CraftedSession.Within(second, "no second marker"), sorted: true));
        Assert.True(CraftedSession.Within(sync, "Synchronize did not return").Synchronized);
        Assert.Equal(2, crafted.MarkersRequested);
    }

    [Fact]
    public void WhenTheMarkersFlushHoldsNoLateSortedEventTheSecondMarkersFlushEndsIt()
    {
        using var crafted = new CraftedSession();
        long before = Stopwatch.GetTimestamp() - 100;
        var sync = crafted.SynchronizeInBackground();
        MarkerRequest first = crafted.NextMarker();

        // The first marker's flush: sorted events, all older than the call; the marker itself unsorted.
        crafted.Write(crafted.Load(Syncing, before - 20, sorted: true, crafted.Method("A")), crafted.MarkerLoad(Syncing, first, sorted: false));
        crafted.Write(crafted.Load(Other, before - 10, sorted: true, crafted.Method("B")));
        Task<MarkerRequest> next = crafted.NextMarkerAsync();
        Assert.True(CraftedSession.First(sync, next) == next, "Synchronize returned with no sorted event later than the call");
        MarkerRequest second = CraftedSession.Within(next, "no second marker");

        // The second marker's flush: another thread's run first, its first event sorted and later than the call. That
        // is not enough while the second marker itself has not been read.
        crafted.Write(crafted.Load(Third, first.CompiledAt, sorted: true, crafted.Method("C")));
        crafted.WaitUntilRead(crafted.EventsWritten);
        Assert.False(sync.IsCompleted, "Synchronize returned before its second marker was read");
        crafted.Write(crafted.MarkerLoad(Syncing, second, sorted: false));

        Assert.True(CraftedSession.Within(sync, "Synchronize did not return").Synchronized);
        Assert.Equal(2, crafted.MarkersRequested);
        Assert.InRange(crafted.Session.CaughtUpThrough, before, first.CompiledAt);
    }

    [Fact]
    public void ATimeoutAnswersFalseAndLeavesTheSessionAsItWas()
    {
        using var crafted = new CraftedSession();
        var caughtUp = crafted.SynchronizeInBackground();
        crafted.Write(crafted.MarkerLoad(Syncing, crafted.NextMarker(), sorted: true));
        Assert.True(CraftedSession.Within(caughtUp, "Synchronize did not return").Synchronized);
        long caughtUpThrough = crafted.Session.CaughtUpThrough;

        // Every marker arrives at once, but never flagged sorted, and nothing later than the call is: no answer.
        crafted.OnMarker = m => crafted.Write(crafted.MarkerLoad(Syncing, m, sorted: false));
        Assert.False(crafted.Session.Synchronize(TimeSpan.FromMilliseconds(200)));

        // Nothing arrives at all: no answer either.
        crafted.OnMarker = null;
        int requested = crafted.MarkersRequested;
        Assert.False(crafted.Session.Synchronize(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(requested + 1, crafted.MarkersRequested);

        Assert.Equal(RuntimeEventSessionState.Running, crafted.Session.State);
        Assert.Null(crafted.Session.FailureReason);
        Assert.Equal(caughtUpThrough, crafted.Session.CaughtUpThrough);

        // The session goes on: a later call is answered by its own marker, not by a timed-out one arriving late
        // (flagged sorted, but older than the call).
        MarkerRequest stale = crafted.ForgetMarkers()!;
        var later = crafted.SynchronizeInBackground();
        MarkerRequest marker = crafted.NextMarker();
        crafted.Write(crafted.MarkerLoad(Syncing, stale, sorted: true));
        crafted.WaitUntilRead(crafted.EventsWritten);
        Assert.False(later.IsCompleted, "a timed-out call's marker answered a later call");
        crafted.Write(crafted.MarkerLoad(Syncing, marker, sorted: true));
        Assert.True(CraftedSession.Within(later, "Synchronize did not return").Synchronized);
        Assert.True(crafted.Session.CaughtUpThrough > caughtUpThrough);
    }

    [Fact]
    public void DroppedEventsLeaveTheCompilationsInFlightWithoutInlinees()
    {
        using var crafted = new CraftedSession();
        MethodLoadRecord complete = crafted.Method("CompiledWholeBeforeTheLoss");
        MethodLoadRecord inFlight = crafted.Method("InFlightDuringTheLoss");
        MethodLoadRecord after = crafted.Method("StartedAfterTheLoss");
        MethodLoadRecord inlinee = crafted.Method("Inlinee");
        long t = Stopwatch.GetTimestamp() - 1000;

        crafted.Write(
            crafted.JittingStarted(Other, t, sorted: true, complete),
            crafted.Inlining(Other, t + 1, sorted: false, complete, inlinee),
            crafted.Load(Other, t + 2, sorted: false, complete),
            crafted.JittingStarted(Other, t + 3, sorted: false, inFlight),
            crafted.Inlining(Other, t + 4, sorted: false, inFlight, inlinee));

        // Another thread lost an event (a gap in its sequence numbers): nobody can tell whose compilation it was in.
        crafted.Write(crafted.Load(Third, t + 5, sorted: true, crafted.Method("BeforeTheGap")));
        crafted.SkipSequence(Third, 1);
        crafted.Write(crafted.Load(Third, t + 7, sorted: false, crafted.Method("AfterTheGap")));
        crafted.Write(
            crafted.Load(Other, t + 8, sorted: true, inFlight),
            crafted.JittingStarted(Other, t + 9, sorted: false, after),
            crafted.Inlining(Other, t + 10, sorted: false, after, inlinee),
            crafted.Load(Other, t + 11, sorted: false, after));
        Synchronize(crafted);

        Assert.Equal([inlinee.Method], crafted.Map.LatestVersionOf(complete.MethodId)!.Inlinees!);
        Assert.Null(crafted.Map.LatestVersionOf(inFlight.MethodId)!.Inlinees);
        Assert.Null(crafted.Map.LatestVersionOf(after.MethodId)!.Inlinees);
        Assert.Equal(1, crafted.Session.DroppedEvents);
        Assert.False(crafted.Session.InliningComplete);
    }

    [Fact]
    public void ASequencePointThatCountsLostEventsDoesTheSame()
    {
        using var crafted = new CraftedSession(compressed: false);
        MethodLoadRecord inFlight = crafted.Method("InFlightDuringTheLoss");
        MethodLoadRecord inlinee = crafted.Method("Inlinee");
        long t = Stopwatch.GetTimestamp() - 1000;

        crafted.Write(crafted.JittingStarted(Other, t, sorted: true, inFlight), crafted.Inlining(Other, t + 1, sorted: false, inFlight, inlinee));

        // A thread none of whose events arrived: only the sequence point says it wrote three.
        crafted.WriteSequencePoint(t + 2, (Other, 2), (Third, 3));
        crafted.Write(crafted.Load(Other, t + 3, sorted: true, inFlight));
        Synchronize(crafted);

        Assert.Null(crafted.Map.LatestVersionOf(inFlight.MethodId)!.Inlinees);
        Assert.Equal(3, crafted.Session.DroppedEvents);
        Assert.False(crafted.Session.InliningComplete);
    }

    /// <summary>Waits until everything written so far was read, with a marker whose event is flagged sorted.</summary>
    private static void Synchronize(CraftedSession crafted)
    {
        crafted.OnMarker = m => crafted.Write(crafted.MarkerLoad(Syncing, m, sorted: true));
        Assert.True(crafted.Session.Synchronize(CraftedSession.Bound));
        crafted.OnMarker = null;
    }
}
