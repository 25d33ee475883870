using System.Runtime.InteropServices;
using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// One continuous runtime event session for all observation tests, as the runtime would run it: started
/// once (with a rundown), read in the background. Tests that need the code map current call
/// <see cref="Sync"/> after compiling what they look for.
/// </summary>
public sealed class ObservationFixture : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public ObservationFixture()
    {
        Session = new RuntimeEventSession();
        if (!Session.Start(rundown: true))
        {
            throw new InvalidOperationException($"The runtime event session did not start: {Session.State}: {Session.FailureReason}");
        }
    }

    internal RuntimeEventSession Session { get; }

    internal CodeMap Map => Session.CodeMap;

    /// <summary>Waits until the map includes everything compiled so far.</summary>
    public void Sync() => Assert.True(Session.Synchronize(Timeout), $"no synchronisation: {Session.State} {Session.FailureReason}");

    public void Dispose() => Session.Dispose();

    /// <summary>The calling thread's OS ID (what EventPipe reports), Linux only.</summary>
    public static long CurrentOsThreadId() => OperatingSystem.IsLinux() ? GetTid() : throw new PlatformNotSupportedException();

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}

[CollectionDefinition(Name)]
public sealed class ObservationCollection : ICollectionFixture<ObservationFixture>
{
    public const string Name = "Observation";
}
