using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>The choice between file sessions and the diagnostic server follows what was faster, and keeps trying the other way.</summary>
[Collection(ObservationCollection.Name)]
public sealed class SnapshotWayChooserTests : IDisposable
{
    public SnapshotWayChooserTests() => SnapshotWayChooser.Reset();

    public void Dispose() => SnapshotWayChooser.Reset();

    [Fact]
    public void EachWayOnceThenTheFasterWayWithFileSessionsTriedEveryEighthSnapshotWhileTheServerIsFaster()
    {
        // Each way once first: a file session (the process's first is cold and not counted, so two), then the
        // diagnostic server.
        Assert.True(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(900));
        Assert.True(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(400));
        Assert.False(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: false, TimeSpan.FromMilliseconds(100));

        // The server was faster: it is chosen, and file sessions are tried every eighth snapshot.
        var choices = Enumerable.Range(0, 16).Select(_ => SnapshotWayChooser.PreferFileSession()).ToList();
        Assert.Equal(2, choices.Count(c => c));

        // File sessions get fast again (the load went away): a few measurements bring them back.
        for (int i = 0; i < 10; i++)
            SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(15));
        // While file sessions are faster the server is not explored: each file session measures them, and should
        // load slow them past the server's last figure the server is chosen again.
        choices = Enumerable.Range(0, 16).Select(_ => SnapshotWayChooser.PreferFileSession()).ToList();
        Assert.Equal(16, choices.Count(c => c));
        for (int i = 0; i < 10; i++)
            SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(300));
        Assert.False(SnapshotWayChooser.PreferFileSession());
    }
    [Fact]
    public void TheFirstColdFileSessionDoesNotCountAndOneTriedWhileTheServerIsChosenReplacesTheirMean()
    {
        // A cold first file session (seconds in a starved process) would otherwise keep the server chosen long after.
        Assert.True(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(1500));
        Assert.True(double.IsNaN(SnapshotWayChooser.Means.File));
        Assert.True(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(300));
        Assert.Equal(300, SnapshotWayChooser.Means.File);
        Assert.False(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: false, TimeSpan.FromMilliseconds(200));

        // The server is chosen until a file session is tried; that one's figure replaces the old mean, so one fast
        // file session brings them back (blended, 300 -> 183 would have stayed slower than the server's 200 and
        // waited for the next try, eight snapshots later).
        int tries = 0;
        while (!SnapshotWayChooser.PreferFileSession())
            Assert.True(++tries < SnapshotWayChooser.ExploreEvery, "no file session was tried");
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(40));
        Assert.Equal(40, SnapshotWayChooser.Means.File);
        Assert.True(SnapshotWayChooser.PreferFileSession());

        // While file sessions are chosen, their figures are blended: one slow one does not send the process to the
        // server, a run of them does.
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(400));
        Assert.Equal(148, SnapshotWayChooser.Means.File, precision: 6);
        Assert.True(SnapshotWayChooser.PreferFileSession());
        SnapshotWayChooser.Record(fileSession: true, TimeSpan.FromMilliseconds(400));
        Assert.False(SnapshotWayChooser.PreferFileSession());
    }
}
