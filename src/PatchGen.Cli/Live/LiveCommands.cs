using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;

namespace PatchGen.Cli.Live;

/// <summary>
/// <c>patchgen apply|list|disable|force --pid</c>: the live operations on a running process, through
/// its control channel (docs/control-channel.md). Exit 0 done; 2 local input error (no such file,
/// no channel); 4 the process refused, or the transition did not complete in time.
/// </summary>
internal static class LiveCommands
{
    private static Option<int> PidOption() => new("--pid") { Description = "The process to act on (started with DOTNET_STARTUP_HOOKS=.../PatchGen.Runtime.dll, or calling PatchRuntime.Listen()).", Required = true };

    private static Option<double> TimeoutOption() => new("--timeout") { Description = "Seconds to wait for the transition to complete (default 30).", DefaultValueFactory = _ => 30 };

    public static Command Apply(TextWriter stdout, TextWriter stderr)
    {
        var patch = new Argument<string>("patch.dll") { Description = "A patch written by 'patchgen build'." };
        var pid = PidOption();
        pid.Required = false;
        pid.Description = "The process to act on (started with DOTNET_STARTUP_HOOKS=.../PatchGen.Runtime.dll, or calling PatchRuntime.Listen()); this or --all.";
        var all = new Option<string>("--all") { Description = "Apply to every process listed by 'patchgen ps' that loaded the assembly of this simple name, one after the other; one result line per process." };
        var timeout = TimeoutOption();
        var command = new Command("apply", "Apply a patch to a running process (or to every one that loaded an assembly) and follow its transition (threads switch one by one when no patched function is on their stack).")
        {
            patch, pid, all, timeout,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(patch);
            bool hasPid = parse.GetResult(pid) is not null, hasAll = parse.GetValue(all) is not null;
            if (hasPid == hasAll)
                throw CommandErrors.Usage("patchgen apply", "give either --pid or --all");
            byte[] image;
            try
            {
                image = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CommandErrors.Input(path,
                    File.Exists(path) ? "cannot be read: " + e.Message : Directory.Exists(path) ? "is a directory, not a patch" : "file not found", e);
            }
            if (hasAll)
                return ApplyToAll(parse.GetValue(all)!, path, image, TimeSpan.FromSeconds(parse.GetValue(timeout)), stdout, stderr);
            using var session = LiveSession.Open(parse.GetValue(pid), stdout, stderr);
            var clock = Stopwatch.StartNew();
            var applied = session.Send(new JsonObject { ["op"] = "apply", ["image"] = Convert.ToBase64String(image), ["source"] = Path.GetFileName(path) });
            if (applied["patch"] is not JsonObject info)
                return ExitCodes.RuntimeFailure;
            var id = info["id"]?.GetValue<string>();
            stdout.WriteLine($"patchgen: applying '{id}' to process {parse.GetValue(pid)} ({TargetsText(info)}, replacing {(info["replaces"] as JsonArray)?.Count ?? 0} method(s))");
            if (!session.FollowTransition(TimeSpan.FromSeconds(parse.GetValue(timeout))))
                return ExitCodes.RuntimeFailure;
            stdout.WriteLine($"patchgen: '{id}' enabled in {clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms: every thread runs the new code");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// <c>apply --all</c>: every process of <c>patchgen ps</c> that loaded <paramref name="assemblyName"/>, one after
    /// the other (a rollout that stops nowhere: a process that fails is reported, the next one is patched).
    /// One line per process, on standard output when its transition completed, else on standard error with
    /// its ID; exit 4 when any failed or a channel was refused (it might have been one of them), 2 when none matched.
    /// </summary>
    private static int ApplyToAll(string assemblyName, string path, byte[] image, TimeSpan timeout, TextWriter stdout, TextWriter stderr)
    {
        var processes = PsCommand.SurveyOrFail();
        var targets = processes.Where(p => p.HasLoaded(assemblyName)).ToList();
        var refused = processes.Where(p => p.Status != ControlledProcess.Ok).ToList();
        if (targets.Count == 0 && refused.Count == 0)
            throw CommandErrors.Input("--all " + assemblyName, $"no process of this user with a PatchGen control channel ({ControlChannels.Where}) has loaded an assembly named '{assemblyName}' (see 'patchgen ps')");
        bool failed = false;
        foreach (var process in refused)
        {
            failed = true;
            stderr.WriteLine($"patchgen: error {DiagnosticCatalog.InputUnreadable.Id}: process {Text(process.Pid)}: {process.Status}: {process.Reason}");
        }
        foreach (var process in targets)
        {
            var clock = Stopwatch.StartNew();
            var progress = new StringWriter();
            try
            {
                using var session = LiveSession.Open(process.Pid, progress, progress);
                var applied = session.Send(new JsonObject { ["op"] = "apply", ["image"] = Convert.ToBase64String(image), ["source"] = Path.GetFileName(path) });
                var id = (applied["patch"] as JsonObject)?["id"]?.GetValue<string>();
                if (session.FollowTransition(timeout))
                {
                    stdout.WriteLine($"patchgen: process {Text(process.Pid)} ({process.Label}): '{id}' enabled in {clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");
                    continue;
                }
                failed = true;
                // The runtime's PG4001 line names the threads that hold the transition; it becomes this process's line.
                var stalledPrefix = "patchgen: warning " + DiagnosticCatalog.TransitionStalled.Id + ": ";
                var stalled = progress.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(stalledPrefix, StringComparison.Ordinal));
                var detail = stalled?[stalledPrefix.Length..] ?? "the transition did not complete in time";
                stderr.WriteLine($"patchgen: warning {DiagnosticCatalog.TransitionStalled.Id}: process {Text(process.Pid)} ({process.Label}): {detail}; it goes on ('patchgen force --pid {Text(process.Pid)}' completes it)");
            }
            catch (Exception e) when (e is CommandFailedException or PatchGenException)
            {
                failed = true;
                var diagnostic = e is CommandFailedException command ? command.Diagnostic : ((PatchGenException)e).Diagnostic;
                stderr.WriteLine($"patchgen: error {diagnostic.Id}: process {Text(process.Pid)} ({process.Label}): {diagnostic.Message}");
            }
        }
        return failed ? ExitCodes.RuntimeFailure : ExitCodes.Success;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static Command Disable(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("patch-id") { Description = "The ID of an enabled patch (see 'patchgen list')." };
        var pid = PidOption();
        var timeout = TimeoutOption();
        var command = new Command("disable", "Revert a patch in a running process through the same consistency model.") { id, pid, timeout };
        command.SetAction(parse =>
        {
            using var session = LiveSession.Open(parse.GetValue(pid), stdout, stderr);
            var clock = Stopwatch.StartNew();
            var patchId = parse.GetRequiredValue(id);
            session.Send(new JsonObject { ["op"] = "disable", ["id"] = patchId });
            stdout.WriteLine($"patchgen: disabling '{patchId}' in process {parse.GetValue(pid)}");
            if (!session.FollowTransition(TimeSpan.FromSeconds(parse.GetValue(timeout))))
                return ExitCodes.RuntimeFailure;
            stdout.WriteLine($"patchgen: '{patchId}' disabled in {clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms: every thread runs the code before it");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Force(TextWriter stdout, TextWriter stderr)
    {
        var pid = PidOption();
        var command = new Command("force", $"Complete the transition in progress now, whatever the threads run ({DiagnosticCatalog.TransitionForced.Id}: the patches involved can never be unloaded).") { pid };
        command.SetAction(parse =>
        {
            using var session = LiveSession.Open(parse.GetValue(pid), stdout, stderr);
            var forced = session.Send(new JsonObject { ["op"] = "force" });
            FailureReport.WriteWarning(stderr, forced["warning"]?.GetValue<string>() ?? DiagnosticCatalog.TransitionForced.Id + ": the transition was forced");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List(TextWriter stdout, TextWriter stderr)
    {
        var pid = PidOption();
        var json = new Option<bool>("--json") { Description = "Write the process's status as JSON (the control channel's status response)." };
        var command = new Command("list", "Show the patches of a running process, their state, and any transition in progress.") { pid, json };
        command.SetAction(parse =>
        {
            using var session = LiveSession.Open(parse.GetValue(pid), stdout, stderr);
            var status = session.Send(new JsonObject { ["op"] = "status" });
            if (parse.GetValue(json))
            {
                status.Remove("ok");
                status["schema"] = 1;
                stdout.WriteLine(status.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Success;
            }
            stdout.Write(ListText(parse.GetValue(pid), status));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The assembly a patch patches, or every one of a patch of several (<c>Shop.Domain + Shop.Web</c>), as the runtime reported them.</summary>
    internal static string TargetsText(JsonObject patch)
        => patch["assemblies"] is JsonArray assemblies && assemblies.Count > 1
            ? string.Join(" + ", assemblies.Select(a => a?.GetValue<string>()))
            : patch["target"]?.GetValue<string>() ?? "";

    private static string ListText(int pid, JsonObject status)
    {
        var text = new StringBuilder();
        var patches = status["patches"] as JsonArray ?? new JsonArray();
        text.Append(CultureInfo.InvariantCulture, $"Process {pid}: {patches.Count} patch{(patches.Count == 1 ? "" : "es")}\n");
        foreach (var patch in patches.OfType<JsonObject>())
        {
            var flags = new List<string>();
            if (patch["cumulative"]?.GetValue<bool>() == true) flags.Add("cumulative");
            if (patch["forced"]?.GetValue<bool>() == true) flags.Add("forced");
            if (patch["publicKeyToken"]?.GetValue<string>() is { } token) flags.Add("signed " + token);
            text.Append(CultureInfo.InvariantCulture, $"  {patch["id"]}  {patch["state"]}  {TargetsText(patch)}{(flags.Count > 0 ? "  (" + string.Join(", ", flags) + ")" : "")}\n");
            foreach (var member in (patch["replaces"] as JsonArray ?? new JsonArray()))
                text.Append("      ").Append(member?.GetValue<string>()).Append('\n');
        }
        if (status["transition"] is JsonObject transition)
        {
            var pending = transition["pendingThreads"] as JsonArray ?? new JsonArray();
            text.Append(CultureInfo.InvariantCulture, $"Transition: {(transition["enabling"]?.GetValue<bool>() == true ? "enabling" : "disabling")} '{transition["patchId"]}' for {transition["elapsedMs"]} ms, {pending.Count} thread(s) still on old code\n");
            foreach (var thread in pending.OfType<JsonObject>())
                text.Append(CultureInfo.InvariantCulture, $"  {ThreadLabel.Of(thread)}: {string.Join(", ", (thread["functions"] as JsonArray ?? new JsonArray()).Select(f => f?.GetValue<string>()))}\n");
        }
        else
        {
            text.Append("No transition in progress.\n");
        }
        if (status["lastFailure"]?.GetValue<string>() is { } failure)
            text.Append("Last failure: ").Append(failure).Append('\n');
        return text.ToString();
    }
}
