using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatchGen.Cli.Failures;
using PatchGen.Runtime.Control;

namespace PatchGen.Cli.Live;

/// <summary>
/// <c>patchgen ps [--json]</c>: the processes of this user that expose a PatchGen control channel, with
/// their patches, as <c>dotnet-counters ps</c> lists diagnosable ones. A channel that fails the client's
/// checks is listed as refused with the reason, and nothing it says is shown.
/// </summary>
internal static class PsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "Write the list as JSON (schema 1 of docs/cli.md)." };
        var command = new Command("ps", "List the processes of this user that expose a PatchGen control channel, and their patches.") { json };
        command.SetAction(parse =>
        {
            var processes = SurveyOrFail();
            if (parse.GetValue(json))
                stdout.WriteLine(Json(processes).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else
                stdout.Write(Text(processes));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The survey, or an input error (exit 2) when the control folder itself is not to be trusted.</summary>
    public static IReadOnlyList<ControlledProcess> SurveyOrFail()
    {
        try
        {
            return ControlChannels.Survey();
        }
        catch (ControlChannelException e)
        {
            throw CommandErrors.Input(ControlChannels.Where, e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandErrors.Input(ControlChannels.Where, "cannot be listed: " + e.Message, e);
        }
    }

    private static JsonObject Json(IReadOnlyList<ControlledProcess> processes) => new()
    {
        ["schema"] = 1,
        ["controlDirectory"] = ControlChannels.Where,
        ["processes"] = new JsonArray(processes.Select(p => (JsonNode?)new JsonObject
        {
            ["pid"] = p.Pid,
            ["status"] = p.Status,
            ["reason"] = p.Reason,
            ["processName"] = p.ProcessName,
            ["entryAssembly"] = p.EntryAssembly,
            ["endpoint"] = p.Endpoint,
            ["patches"] = p.Patches.DeepClone(),
            ["transition"] = p.Transition?.DeepClone(),
        }).ToArray()),
    };

    private static string Text(IReadOnlyList<ControlledProcess> processes)
    {
        var text = new StringBuilder();
        if (processes.Count == 0)
            return $"No process of this user exposes a PatchGen control channel in {ControlChannels.Where}.\n";
        foreach (var process in processes)
        {
            text.Append(process.Pid.ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append("  ");
            if (process.Status != ControlledProcess.Ok)
            {
                text.Append(process.Status).Append(": ").Append(process.Reason).Append('\n');
                continue;
            }
            text.Append((process.ProcessName ?? "?").PadRight(16)).Append("  ").Append((process.EntryAssembly ?? "?").PadRight(24)).Append("  ");
            var patches = process.Patches.OfType<JsonObject>().Select(p => $"{p["id"]} ({p["state"]})").ToList();
            text.Append(patches.Count == 0 ? "no patches" : string.Join(", ", patches));
            if (process.Transition is { } transition)
            {
                var pending = (transition["pendingThreads"] as JsonArray)?.Count ?? 0;
                text.Append(CultureInfo.InvariantCulture, $"; {(transition["enabling"]?.GetValue<bool>() == true ? "enabling" : "disabling")} '{transition["patchId"]}', {pending} thread(s) pending");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
