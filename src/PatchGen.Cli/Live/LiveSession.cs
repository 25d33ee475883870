using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PatchGen.Diagnostics;
using PatchGen.Diff;
using PatchGen.Runtime.Control;

namespace PatchGen.Cli.Live;

/// <summary>
/// One conversation with a running process over its control channel (docs/control-channel.md), as
/// the live commands (<c>apply</c>, <c>list</c>, <c>disable</c>, <c>force</c>) hold it: connecting
/// (no process or no channel is a local input error, exit 2), sending requests (a refusal by the
/// runtime is one line with its PG ID, exit 4), and following a transition with progress.
/// </summary>
internal sealed class LiveSession : IDisposable
{
    private readonly ControlClient _client;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    private LiveSession(ControlClient client, TextWriter stdout, TextWriter stderr)
    {
        _client = client;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>Connects, or prints the one-line reason and returns null.</summary>
    public static LiveSession? Open(int pid, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            // 30 s per response: the first apply in a process starts the runtime's observation (an EventPipe
            // session and its rundown of every compiled method), which takes seconds in a large, loaded process.
            return new LiveSession(ControlClient.Connect(pid, TimeSpan.FromSeconds(30)), stdout, stderr);
        }
        catch (ControlChannelException e)
        {
            PatchGenCommandLine.WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null, "--pid " + pid.ToString(CultureInfo.InvariantCulture), e.Message));
            return null;
        }
    }

    /// <summary>Sends a request; a refusal or a broken channel is printed and gives null.</summary>
    public JsonObject? Send(JsonObject request)
    {
        JsonObject response;
        try
        {
            response = _client.Send(request);
        }
        catch (ControlChannelException e)
        {
            PatchGenCommandLine.WriteError(_stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null, "the control channel", e.Message));
            return null;
        }
        if (response["ok"]?.GetValue<bool>() == true)
            return response;
        var error = response["error"] as JsonObject;
        var id = error?["id"]?.GetValue<string>() ?? DiagnosticCatalog.InputUnreadable.Id;
        var message = error?["message"]?.GetValue<string>() ?? "the process refused the request";
        _stderr.WriteLine($"patchgen: error {id}: {message}");
        return null;
    }

    /// <summary>
    /// Polls the transition until it completes or <paramref name="timeout"/> passes, printing which
    /// threads still run old code whenever that changes. Returns whether it completed.
    /// </summary>
    public bool FollowTransition(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string? lastReport = null;
        while (true)
        {
            var status = Send(new JsonObject { ["op"] = "status" });
            if (status is null)
                return false;
            if (status["transition"] is not JsonObject transition)
                return true;
            var pending = transition["pendingThreads"] as JsonArray ?? new JsonArray();
            var report = Describe(transition, pending);
            if (report != lastReport)
            {
                _stdout.WriteLine(report);
                lastReport = report;
            }
            if (clock.Elapsed >= timeout)
            {
                var wait = Send(new JsonObject { ["op"] = "wait", ["timeoutMs"] = 0 });
                if (wait?["completed"]?.GetValue<bool>() == true)
                    return true;
                var warning = wait?["warning"]?.GetValue<string>();
                _stderr.WriteLine(WarningLine(warning, "PG4001: the transition did not complete in time"));
                _stdout.WriteLine("patchgen: the transition goes on in the process; 'patchgen force --pid <pid>' completes it (PG4002)");
                return false;
            }
            Thread.Sleep(200);
        }
    }

    private static string Describe(JsonObject transition, JsonArray pending)
    {
        var direction = transition["enabling"]?.GetValue<bool>() == true ? "enabling" : "disabling";
        var id = transition["patchId"]?.GetValue<string>();
        if (pending.Count == 0)
            return $"  {direction} '{id}': switching threads...";
        var threads = pending.OfType<JsonObject>().Select(t =>
        {
            var functions = (t["functions"] as JsonArray)?.Select(f => f?.GetValue<string>()).OfType<string>() ?? Enumerable.Empty<string>();
            return $"{ThreadLabel.Of(t)} in {string.Join(", ", functions)}";
        });
        return $"  {direction} '{id}': waiting for {pending.Count} thread{(pending.Count == 1 ? "" : "s")} still running old code: {string.Join("; ", threads)}";
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// <c>patchgen: warning PGxxxx: ...</c> for a warning the process sent: the runtime's own lines already start
    /// with "warning " (they are what its log hook prints), which must not be said twice.
    /// </summary>
    public static string WarningLine(string? warning, string fallback)
    {
        var text = warning ?? fallback;
        if (text.StartsWith("warning ", StringComparison.Ordinal))
            text = text["warning ".Length..];
        return "patchgen: warning " + text;
    }
}
