using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Control;

namespace PatchGen.Cli.Live;

/// <summary>
/// One conversation with a running process over its control channel (docs/control-channel.md), as
/// the live commands (<c>apply</c>, <c>list</c>, <c>disable</c>, <c>force</c>) hold it: connecting
/// (no process or no channel is a local input error, exit 2), sending requests (a refusal by the
/// runtime, or a channel that breaks, is one line with its PG ID, exit 4), and following a transition
/// with progress. Failures are thrown for <see cref="FailureReport"/> to print.
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

    /// <summary>Connects; no such process, or no channel, is an input error naming <c>--pid</c> (exit 2).</summary>
    public static LiveSession Open(int pid, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            // 30 s per response: the first apply in a process starts the runtime's observation (an EventPipe
            // session and its rundown of every compiled method), which takes seconds in a large, loaded process.
            return new LiveSession(ControlClient.Connect(pid, TimeSpan.FromSeconds(30)), stdout, stderr);
        }
        catch (ControlChannelException e)
        {
            throw CommandErrors.Input("--pid " + pid.ToString(CultureInfo.InvariantCulture), e.Message, e);
        }
    }

    /// <summary>Sends a request and returns the runtime's answer; a refusal or a broken channel ends the command (exit 4).</summary>
    public JsonObject Send(JsonObject request)
    {
        JsonObject response;
        try
        {
            response = _client.Send(request);
        }
        catch (ControlChannelException e)
        {
            throw CommandErrors.ChannelFailed(e.Message, e);
        }
        if (response["ok"]?.GetValue<bool>() == true)
            return response;
        var error = response["error"] as JsonObject;
        throw CommandErrors.Refused(
            error?["id"]?.GetValue<string>() ?? DiagnosticCatalog.InputUnreadable.Id,
            error?["message"]?.GetValue<string>() ?? "the process refused the request");
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
                var wait = LastWait();
                if (wait?["completed"]?.GetValue<bool>() == true)
                    return true;
                var warning = wait?["warning"]?.GetValue<string>();
                FailureReport.WriteWarning(_stderr, warning ?? DiagnosticCatalog.TransitionStalled.Id + ": the transition did not complete in time");
                _stdout.WriteLine($"patchgen: the transition goes on in the process; 'patchgen force --pid <pid>' completes it ({DiagnosticCatalog.TransitionForced.Id})");
                return false;
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// The runtime's last word at the deadline, or null when the channel failed to give it: that failure is
    /// printed here, because the user must still learn that the transition goes on in the process.
    /// </summary>
    private JsonObject? LastWait()
    {
        try
        {
            return Send(new JsonObject { ["op"] = "wait", ["timeoutMs"] = 0 });
        }
        catch (CommandFailedException e)
        {
            FailureReport.WriteError(_stderr, e.Diagnostic);
            return null;
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
}
