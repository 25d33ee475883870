using System.Diagnostics;
using Microsoft.Diagnostics.Tracing;
using PatchGen.Runtime.Control;
using PatchGen.TestSupport;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.Telemetry;

/// <summary>
/// What <c>dotnet-trace</c> and <c>dotnet-counters</c> see of an unchanged application started with the
/// runtime as a startup hook: a real child process, observed from this one through its diagnostic port
/// (an EventPipe session, as those tools open it), with the runtime's telemetry found by its well-known
/// names only. The operations are sent over the control channel, as <c>patchgen</c> sends them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutOfProcessTelemetryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void DotnetTraceAndDotnetCountersSeeTheRuntimeOfAChildProcess()
    {
        var channel = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("telemetry-channel"), "channel");
        using var app = ConsoleApp.StartWaitingAppWithHook("TelemetryApp", typeof(PatchRuntime).Assembly.Location, channel);
        try
        {
            Assert.Equal("ready", ReadLine(app));

            using var recording = new EventPipeRecording(app.Id, EventPipeRecording.PatchGenEvents(), EventPipeRecording.PatchGenMetrics());

            // Refusals are operations too: a force with no transition (PG4003) and a disable of an unknown patch.
            using (var client = ControlClient.ConnectTo(app.Id, ControlEndpoint.SocketPath(channel, app.Id), IoTimeout))
            {
                AssertError(client.Send(Request("force")), "PG4003");
                AssertError(client.Send(Request("disable", ("id", "no-such-patch"))), "PG4003");
            }

            bool Seen() => recording.Named("PatchRefused").Count >= 2
                && recording.Events.Any(e => e.EventName == "GaugeValuePublished" && Field(e, "meterName") == PatchRuntimeTelemetry.MeterName && Field(e, "instrumentName") == "patchgen.patches");
            recording.StopWhen(Seen, Bound);

            var refused = recording.Named("PatchRefused");
            Assert.Equal(new[] { "force", "disable" }, refused.Select(e => Field(e, "Operation")));
            Assert.All(refused, e => Assert.Equal("PG4003", Field(e, "DiagnosticId")));
            Assert.Equal("no-such-patch", Field(refused[1], "Subject"));
            var gauges = recording.Events.Where(e => e.ProviderName == "System.Diagnostics.Metrics" && Field(e, "meterName") == PatchRuntimeTelemetry.MeterName).Select(e => Field(e, "instrumentName")).ToHashSet();
            Assert.Contains("patchgen.patches", gauges);
            Assert.Contains("patchgen.transition.pending_threads", gauges);
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill();
                app.WaitForExit((int)Bound.TotalMilliseconds);
            }
        }
    }

    [Fact]
    public void APatchDirectoryInAChildProcessIsTracedOverEventPipe()
    {
        var app = PatchDirectory.ServedApp.Get();
        var folder = PatchGen.TestSupport.InlineAssembly.TempDirectory("telemetry-patches");
        using var served = PatchDirectory.ServedProcess.Start(folder);
        Assert.Equal("A1:P1 E1", served.First);
        using var recording = new EventPipeRecording(served.Pid, EventPipeRecording.PatchGenEvents());

        // Written as an operator would: a temporary name the directory ignores, then one rename each.
        Install(folder, "07-other-build.dll", app.OtherBuild);
        Install(folder, "10-fix.dll", app.Fix2);
        recording.StopWhen(() => recording.Named("DirectoryPatchLoaded").Count >= 1 && recording.Named("DirectoryPatchSkipped").Count >= 1
            && recording.Named("TransitionCompleted").Count >= 1, Bound);

        var loaded = Assert.Single(recording.Named("DirectoryPatchLoaded"));
        Assert.Equal("10-fix.dll", Field(loaded, "File"));
        Assert.Equal("served-fix-2", Field(loaded, "PatchId"));
        var skipped = Assert.Single(recording.Named("DirectoryPatchSkipped"));
        Assert.Equal("07-other-build.dll", Field(skipped, "File"));
        Assert.Equal("PG0005", Field(skipped, "DiagnosticId"));
        Assert.Equal("Served", Field(Assert.Single(recording.Named("Enable"), e => Field(e, "PatchId") == "served-fix-2"), "Target"));
        var completed = Assert.Single(recording.Named("TransitionCompleted"), e => Field(e, "PatchId") == "served-fix-2");
        Assert.Equal("enable", Field(completed, "Direction"));
        Assert.Equal("False", Field(completed, "Forced"));
        served.AssertNeverMixed();
    }

    private static void Install(string folder, string name, byte[] image)
    {
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        File.WriteAllBytes(temporary, image);
        File.SetUnixFileMode(temporary, (UnixFileMode)0b110_100_100);
        File.Move(temporary, Path.Combine(folder, name), overwrite: true);
    }

    private static string? ReadLine(Process app)
    {
        var line = app.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(Bound), "the application did not start: " + (app.HasExited ? app.StandardError.ReadToEnd() : "still running"));
        return line.Result;
    }

    private static string? Field(Microsoft.Diagnostics.Tracing.TraceEvent e, string name) => EventPipeRecording.Field(e, name);

}
