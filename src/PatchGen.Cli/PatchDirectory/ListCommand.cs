using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;

namespace PatchGen.Cli.PatchDirectory;

/// <summary>
/// <c>patchgen list</c>: the live command (<c>--pid</c>, <see cref="Live.LiveCommands.List"/>, unchanged)
/// plus <c>--dir &lt;folder&gt;</c>, which shows a patch directory as the runtime will apply it: each file
/// in order, its patch ID, target assembly and base MVID, cumulative or not, signed or not. A file that
/// is not a readable patch is one PG0001 line on standard error and makes the exit code 2 (the others
/// are still listed); so does a folder the runtime would refuse.
/// </summary>
internal static class ListCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = Live.LiveCommands.List(stdout, stderr);
        var pid = command.Options.OfType<Option<int>>().Single(o => o.Name == "--pid");
        var json = command.Options.OfType<Option<bool>>().Single(o => o.Name == "--json");
        var dir = new Option<string>("--dir") { Description = "A patch directory (PATCHGEN_PATCH_DIR of the processes) instead of a process: its patch files in the order they apply." };
        pid.Required = false;
        command.Options.Add(dir);
        command.Description = "Show the patches of a running process (--pid): their state and any transition in progress; or of a patch directory (--dir): its files in the order they apply.";
        var live = (SynchronousCommandLineAction)command.Action!;
        command.SetAction(parse =>
        {
            bool hasPid = parse.GetResult(pid) is not null, hasDir = parse.GetResult(dir) is not null;
            if (hasPid == hasDir)
                throw CommandErrors.Usage("patchgen list", "give either --pid <pid> or --dir <folder>");
            return hasPid ? live.Invoke(parse) : ListFolder(parse.GetRequiredValue(dir), parse.GetValue(json), stdout, stderr);
        });
        return command;
    }

    private static int ListFolder(string folder, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(folder))
            throw CommandErrors.Input(folder, File.Exists(folder) ? "not a folder" : "no such folder");
        IReadOnlyList<PatchFolderEntry> entries;
        try
        {
            entries = PatchFolder.Read(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandErrors.Input(folder, "cannot be listed: " + e.Message, e);
        }
        var problems = new List<PatchDiagnostic>();
        if (PatchFolder.Refusal(folder) is { } refusal)
            problems.Add(refusal);
        problems.AddRange(entries.Select(e => e.Problem).OfType<PatchDiagnostic>());
        // Every problem is said, and the rest of the folder still listed: a report, not one failure.
        foreach (var problem in problems)
            FailureReport.WriteError(stderr, problem);
        stdout.Write(json ? Json(folder, entries, problems) : Text(folder, entries));
        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.InputError;
    }

    private static string Text(string folder, IReadOnlyList<PatchFolderEntry> entries)
    {
        var patches = entries.Where(e => e.Patch is not null).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Patch directory {folder}: {patches.Count} patch file{(patches.Count == 1 ? "" : "s")}, applied in this order\n");
        foreach (var entry in patches)
        {
            var patch = entry.Patch!;
            // A patch of several assemblies: each base with its MVID, in the one line.
            var bases = string.Join("  ", patch.Bases.Select(b => $"{b.Name}  base MVID {b.Mvid}"));
            text.Append(CultureInfo.InvariantCulture, $"  {entry.Name}  {patch.Id}  {bases}  {(patch.Cumulative ? "cumulative, " : "")}{PatchFolder.SignatureText(patch.Signature)}\n");
        }
        return text.ToString();
    }

    private static string Json(string folder, IReadOnlyList<PatchFolderEntry> entries, IReadOnlyList<PatchDiagnostic> problems)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", 1);
            json.WriteString("directory", folder);
            json.WriteStartArray("patches");
            foreach (var entry in entries.Where(e => e.Patch is not null))
            {
                var patch = entry.Patch!;
                json.WriteStartObject();
                json.WriteString("file", entry.Name);
                json.WriteString("id", patch.Id);
                json.WriteString("target", patch.TargetAssembly);
                json.WriteString("baseMvid", patch.BaseMvid);
                if (patch.Bases.Count > 1)
                {
                    json.WriteStartArray("bases");
                    foreach (var binding in patch.Bases)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", binding.Name);
                        json.WriteString("mvid", binding.Mvid);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteBoolean("cumulative", patch.Cumulative);
                json.WriteStartObject("signature");
                json.WriteBoolean("signed", patch.Signature.Signed);
                if (patch.Signature.PublicKeyToken is null) json.WriteNull("publicKeyToken"); else json.WriteString("publicKeyToken", patch.Signature.PublicKeyToken);
                if (patch.Signature.Valid is null) json.WriteNull("valid"); else json.WriteBoolean("valid", patch.Signature.Valid.Value);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("errors");
            foreach (var problem in problems)
            {
                json.WriteStartObject();
                json.WriteString("id", problem.Id);
                json.WriteString("message", problem.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
