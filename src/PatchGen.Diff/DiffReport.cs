using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>Writes a <see cref="DiffResult"/> as the JSON of docs/cli.md (schema 1) or as text for people.</summary>
public static class DiffReport
{
    /// <summary>The <c>diff --json</c> document. Deterministic: the same result gives the same bytes.</summary>
    public static string ToJson(DiffResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", 1);
            json.WriteStartObject("base");
            WriteSummary(json, result.Base);
            json.WriteBoolean("patchable", result.Base.HasPatchSites ?? false);
            json.WriteEndObject();
            json.WriteStartObject("new");
            WriteSummary(json, result.New);
            json.WriteEndObject();
            json.WriteBoolean("patchable", result.IsPatchable);
            // Only when not the default, so that a simple-model report stays byte for byte what it was.
            if (result.Model != PatchModel.Simple)
                json.WriteString("model", PatchModels.Name(result.Model));

            json.WriteStartArray("changes");
            foreach (var change in result.Changes)
            {
                json.WriteStartObject();
                json.WriteString("member", change.Member);
                json.WriteString("kind", change.KindName);
                json.WriteEndObject();
            }
            json.WriteEndArray();

            // Only when a lambda is replaced in place, so other reports keep their bytes.
            if (result.Lambdas.Count > 0)
            {
                json.WriteStartArray("lambdas");
                foreach (var lambda in result.Lambdas)
                {
                    json.WriteStartObject();
                    json.WriteString("owner", lambda.Owner);
                    json.WriteString("lambda", lambda.Lambda);
                    WriteStringOrNull(json, "file", lambda.File);
                    WriteNumberOrNull(json, "line", lambda.Line);
                    json.WriteBoolean("ownerReplaced", lambda.OwnerReplaced);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }

            json.WriteStartArray("diagnostics");
            foreach (var diagnostic in result.Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("id", diagnostic.Id);
                json.WriteString("severity", SeverityName(diagnostic.Severity));
                WriteStringOrNull(json, "member", diagnostic.Member);
                json.WriteString("message", diagnostic.Message);
                WriteStringOrNull(json, "file", diagnostic.File);
                WriteNumberOrNull(json, "line", diagnostic.Line);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
            json.WriteNumber(name, number);
        else
            json.WriteNull(name);
    }

    /// <summary>The report for people: changes, then diagnostics in MSBuild's canonical form, then a verdict.</summary>
    public static string ToText(DiffResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Comparing {result.Base.Name}: {result.Base.Path} (MVID {result.Base.Mvid}) -> {result.New.Path} (MVID {result.New.Mvid})\n");
        if (result.Changes.Count > 0)
        {
            text.Append('\n').Append("Changes:\n");
            int width = result.Changes.Max(c => c.KindName.Length);
            foreach (var change in result.Changes)
                text.Append("  ").Append(change.KindName.PadRight(width)).Append("  ").Append(change.Member).Append('\n');
        }
        if (result.Lambdas.Count > 0)
        {
            text.Append('\n').Append("Lambdas replaced in place (delegates created before the patch run the new body):\n");
            foreach (var lambda in result.Lambdas)
            {
                text.Append("  ").Append(lambda.Owner).Append(": ").Append(lambda.Lambda)
                    .Append(lambda.OwnerReplaced ? " (owner replaced too)" : " (owner kept)").Append('\n');
            }
        }
        if (result.Diagnostics.Count > 0)
        {
            text.Append('\n').Append("Diagnostics:\n");
            foreach (var diagnostic in result.Diagnostics)
                text.Append("  ").Append(diagnostic.ToString()).Append('\n');
        }

        int bodies = result.Changes.Count(c => c.Kind == ChangeKind.BodyChanged);
        int errors = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        int warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        string verdict = result.ExitCode switch
        {
            0 when result.Model == PatchModel.Extended => "patchable under the extended model",
            0 => "patchable",
            1 => $"NOT patchable under the {PatchModels.Name(result.Model)} model",
            _ => "nothing to patch",
        };
        text.Append('\n').Append(CultureInfo.InvariantCulture,
            $"Verdict: {verdict} ({Plural(bodies, "method body", "method bodies")} changed, {Plural(errors, "error", "errors")}, {Plural(warnings, "warning", "warnings")}).\n");
        return text.ToString();
    }

    private static string Plural(int count, string one, string many) => count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);

    private static void WriteSummary(Utf8JsonWriter json, AssemblySummary summary)
    {
        json.WriteString("path", summary.Path);
        json.WriteString("name", summary.Name);
        json.WriteString("mvid", summary.Mvid.ToString("D", CultureInfo.InvariantCulture));
    }

    public static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };
}
