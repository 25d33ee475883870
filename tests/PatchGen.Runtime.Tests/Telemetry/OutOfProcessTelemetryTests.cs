using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using PatchGen.Runtime.Control;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;
using PipeProvider = Microsoft.Diagnostics.NETCore.Client.EventPipeProvider;

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
    private const string AppSource = """
        public static class Program
        {
            public static int Main()
            {
                System.Console.WriteLine("ready");
                System.Console.Out.Flush();
                System.Console.In.ReadLine();
                return 0;
            }
        }
        """;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void DotnetTraceAndDotnetCountersSeeTheRuntimeOfAChildProcess()
    {
        var channel = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("telemetry-channel"), "channel");
        using var app = StartApp(channel);
        try
        {
            Assert.Equal("ready", ReadLine(app));

            // The providers dotnet-trace (--providers PatchGen-Runtime) and dotnet-counters (--counters PatchGen.Runtime) enable.
            var providers = new[]
            {
                new PipeProvider(PatchRuntimeTelemetry.EventSourceName, EventLevel.Verbose),
                new PipeProvider("System.Diagnostics.Metrics", EventLevel.Informational, 0x2, new Dictionary<string, string>
                {
                    ["SessionId"] = "patchgen-test",
                    ["Metrics"] = PatchRuntimeTelemetry.MeterName,
                    ["RefreshInterval"] = "1",
                    ["MaxTimeSeries"] = "1000",
                    ["MaxHistograms"] = "20",
                }),
            };
            var events = new ConcurrentQueue<TraceEvent>();
            using var session = new DiagnosticsClient(app.Id).StartEventPipeSession(providers, requestRundown: false);
            var reader = new Thread(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Dynamic.All += e => events.Enqueue(e.Clone());
                source.Process();
            }) { IsBackground = true, Name = "eventpipe-reader" };
            reader.Start();

            // Refusals are operations too: a force with no transition (PG4003) and a disable of an unknown patch.
            using (var client = ControlClient.ConnectTo(app.Id, ControlEndpoint.SocketPath(channel, app.Id), IoTimeout))
            {
                AssertError(client.Send(Request("force")), "PG4003");
                AssertError(client.Send(Request("disable", ("id", "no-such-patch"))), "PG4003");
            }

            var deadline = Stopwatch.StartNew();
            bool Seen() => events.Count(e => e.ProviderName == PatchRuntimeTelemetry.EventSourceName && e.EventName == "PatchRefused") >= 2
                && events.Any(e => e.ProviderName == "System.Diagnostics.Metrics" && Field(e, "meterName") == PatchRuntimeTelemetry.MeterName
                    && Field(e, "instrumentName") == "patchgen.patches" && e.EventName is "GaugeValuePublished");
            while (!Seen() && deadline.Elapsed < Bound && reader.IsAlive)
                Thread.Sleep(100);
            session.Stop();
            Assert.True(reader.Join(Bound), "the EventPipe reader did not stop");

            var refused = events.Where(e => e.ProviderName == PatchRuntimeTelemetry.EventSourceName && e.EventName == "PatchRefused").ToList();
            Assert.Equal(new[] { "force", "disable" }, refused.Select(e => Field(e, "Operation")));
            Assert.All(refused, e => Assert.Equal("PG4003", Field(e, "DiagnosticId")));
            Assert.Equal("no-such-patch", Field(refused[1], "Subject"));
            var gauges = events.Where(e => e.ProviderName == "System.Diagnostics.Metrics" && Field(e, "meterName") == PatchRuntimeTelemetry.MeterName).Select(e => Field(e, "instrumentName")).ToHashSet();
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

    private static string? ReadLine(Process app)
    {
        var line = app.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(Bound), "the application did not start: " + (app.HasExited ? app.StandardError.ReadToEnd() : "still running"));
        return line.Result;
    }

    private static string? Field(TraceEvent e, string name)
    {
        int index = Array.FindIndex(e.PayloadNames, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : e.PayloadValue(index)?.ToString();
    }

    private static Process StartApp(string channel)
    {
        var folder = PatchGen.TestSupport.InlineAssembly.TempDirectory("telemetry-app");
        var appPath = Control.ConsoleApp.Compile(folder, "TelemetryApp", AppSource);
        var hookFolder = PatchGen.TestSupport.InlineAssembly.TempDirectory("telemetry-runtime");
        var runtime = typeof(PatchRuntime).Assembly.Location;
        foreach (var name in new[] { "PatchGen.Runtime.dll", "PatchGen.Diagnostics.dll" })
            File.Copy(Path.Combine(Path.GetDirectoryName(runtime)!, name), Path.Combine(hookFolder, name));
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appPath);
        start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(hookFolder, "PatchGen.Runtime.dll");
        start.Environment["PATCHGEN_CONTROL_DIR"] = channel;
        return Process.Start(start)!;
    }
}
