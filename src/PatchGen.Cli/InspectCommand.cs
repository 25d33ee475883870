using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PatchGen.Cli.Failures;
using PatchGen.Cli.Inspect;
using PatchGen.Emit;

namespace PatchGen.Cli;

/// <summary><c>patchgen inspect &lt;patch.dll&gt; [--json]</c>: what a patch replaces, what it is bound to, its signature.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout)
    {
        var patch = new Argument<string>("patch.dll") { Description = "A patch written by 'patchgen build'." };
        var json = new Option<bool>("--json") { Description = "Write JSON (schema 1) instead of text." };
        var command = new Command("inspect", "Show what a patch replaces, its base MVID, callbacks and signature status. Exit 0: shown; 2: not a readable patch.")
        {
            patch,
            json,
        };
        command.SetAction(parse =>
        {
            var patchPath = parse.GetRequiredValue(patch);
            // Cecil reads metadata lazily: a corrupt signature or attribute blob surfaces while the patch
            // is being walked, as whatever exception the reader hits.
            var description = CommandErrors.WhenUnreadable(patchPath, "not a readable patch: corrupt metadata",
                () => PatchInspector.Inspect(patchPath));
            stdout.Write(parse.GetValue(json) ? ToJson(description) : ToText(description));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string ToText(PatchDescription patch)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Patch '{patch.Id}' ({patch.Path}, assembly {patch.AssemblyName}, MVID {patch.Mvid})\n");
        for (int i = 0; i < patch.Bases.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $"  {(i == 0 ? "patches:" : ""),-11} {patch.Bases[i].Name}, base MVID {patch.Bases[i].Mvid}\n");
        text.Append(CultureInfo.InvariantCulture, $"  cumulative: {(patch.Cumulative ? "yes (replaces every patch applied before it)" : "no")}\n");
        text.Append(CultureInfo.InvariantCulture, $"  signature:  {SignatureText(patch.Signature)}\n");
        foreach (var (id, version) in patch.SystemStates)
            text.Append(CultureInfo.InvariantCulture, $"  system state {id}, version {version}\n");
        text.Append(CultureInfo.InvariantCulture, $"\nReplaces {patch.Replaces.Count} method{(patch.Replaces.Count == 1 ? "" : "s")}:\n");
        foreach (var replacement in patch.Replaces)
            text.Append(CultureInfo.InvariantCulture, $"  {replacement.DocumentationId} (site {replacement.Site}{(replacement.Assembly is null ? "" : " of " + replacement.Assembly)})\n");
        if (patch.Callbacks.Count > 0)
        {
            text.Append("\nCallbacks:\n");
            foreach (var (kind, method) in patch.Callbacks)
                text.Append(CultureInfo.InvariantCulture, $"  {kind}: {method}\n");
        }
        if (patch.ShippedTypes.Count > 0)
        {
            text.Append("\nShips types:\n");
            foreach (var type in patch.ShippedTypes)
                text.Append("  ").Append(type).Append('\n');
        }
        return text.ToString();
    }

    private static string SignatureText(PatchSignature signature)
    {
        if (!signature.Signed)
            return "unsigned";
        return signature.Valid switch
        {
            true => $"signed, verified (public key token {signature.PublicKeyToken})",
            false => $"signed, INVALID: {signature.Problem} (public key token {signature.PublicKeyToken})",
            null => $"signed (public key token {signature.PublicKeyToken}), not verified",
        };
    }

    /// <summary>The <c>--json</c> document; deterministic, ending with a newline like every output of the tool.</summary>
    internal static string ToJson(PatchDescription patch)
        => JsonSerializer.Serialize(InspectJsonDocument.From(patch), InspectJsonContext.Default.InspectJsonDocument) + "\n";
}
