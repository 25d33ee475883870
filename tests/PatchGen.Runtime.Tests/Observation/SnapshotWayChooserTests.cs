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
        // Each way once first: a file session, then (the file session measured) the diagnostic server.
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
}
