using System.Globalization;
using System.Text.RegularExpressions;

namespace PatchGen.Build;

/// <summary>
/// One diagnostic line of the tool in MSBuild's canonical form: <c>origin: severity PGxxxx: message</c>,
/// where origin is <c>file(line)</c>, <c>file(line,column)</c>, <c>file</c>, or <c>patchgen</c> for a
/// diagnostic about no source (<c>patchgen: error PG0001: v1/App.dll: file not found</c>).
/// </summary>
internal sealed class ToolOutputLine
{
    // The first ": severity PGnnnn: " ends the origin: a message may hold anything after it.
    private static readonly Regex Canonical = new(
        @"^(?<origin>.*?)(?:\((?<line>\d+)(?:,(?<column>\d+))?\))?: (?<severity>error|warning|info) (?<id>PG\d{4}): (?<message>.*)$",
        RegexOptions.CultureInvariant);

    private ToolOutputLine(string? file, int? line, int? column, string severity, string id, string message)
    {
        File = file;
        Line = line;
        Column = column;
        Severity = severity;
        Id = id;
        Message = message;
    }

    /// <summary>The source file as the tool printed it, or null for a diagnostic about no source.</summary>
    public string? File { get; }

    public int? Line { get; }

    public int? Column { get; }

    /// <summary><c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public string Severity { get; }

    public string Id { get; }

    public string Message { get; }

    /// <summary>The diagnostic a line holds, or null for any other line (summaries, progress).</summary>
    public static ToolOutputLine? Parse(string text)
    {
        var match = Canonical.Match(text.TrimEnd('\r'));
        if (!match.Success)
            return null;
        var origin = match.Groups["origin"].Value.Trim();
        var file = origin.Length == 0 || origin == "patchgen" ? null : origin;
        return new ToolOutputLine(
            file,
            Number(match.Groups["line"]),
            Number(match.Groups["column"]),
            match.Groups["severity"].Value,
            match.Groups["id"].Value,
            match.Groups["message"].Value);
    }

    private static int? Number(Group group)
        => group.Success && int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
}
