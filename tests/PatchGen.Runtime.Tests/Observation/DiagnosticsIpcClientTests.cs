using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation;

[Collection(ObservationCollection.Name)]
public sealed class DiagnosticsIpcClientTests
{
    [Fact]
    public void NoDiagnosticServerIsAClearErrorAndAnUnavailableSession()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // As with DOTNET_EnableDiagnostics=0: no socket for this process where the client looks.
        DiagnosticsIpcClient.SocketDirectoryOverride = PatchGen.TestSupport.InlineAssembly.TempDirectory("no-diagnostics");
        try
        {
            var providers = new[] { new EventPipeProvider(RuntimeEvents.RuntimeProvider, RuntimeEvents.LoaderKeyword, EventLevel.Informational) };
            var error = Assert.Throws<DiagnosticsIpcException>(() => DiagnosticsIpcClient.StartSession(providers, false, false, 1, TimeSpan.FromSeconds(5)));
            Assert.Equal(DiagnosticsIpcFailure.ServerUnavailable, error.Failure);
            Assert.Contains("diagnostic server is not available", error.Message);

            using var session = new RuntimeEventSession();
            Assert.False(session.Start());
            Assert.False(session.Start());
            Assert.Equal(RuntimeEventSessionState.Unavailable, session.State);
            Assert.NotNull(session.FailureReason);
            Assert.False(session.InliningComplete);
            Assert.False(session.Synchronize(TimeSpan.FromSeconds(1)));
            session.Stop();
        }
        finally
        {
            DiagnosticsIpcClient.SocketDirectoryOverride = null;
        }
    }

    [Fact]
    public void StartsAndStopsASessionOnItsOwnServer()
    {
        var providers = new[] { new EventPipeProvider(RuntimeEvents.RuntimeProvider, RuntimeEvents.LoaderKeyword, EventLevel.Informational) };
        using EventPipeSession session = DiagnosticsIpcClient.StartSession(providers, false, false, 1, ObservationFixture.Timeout);
        Assert.NotEqual(0UL, session.SessionId);
        var reader = new NettraceReader(session.Stream);
        var thread = new Thread(() =>
        {
            while (reader.TryReadEvent(out _))
            {
            }
        });
        thread.Start();
        session.Stop();
        session.Stop();
        Assert.True(thread.Join(ObservationFixture.Timeout));
        Assert.Equal(NettraceEnd.Completed, reader.End);
        Assert.NotNull(reader.TraceInfo);
    }
}
