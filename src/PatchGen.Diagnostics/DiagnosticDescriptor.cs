using System.Globalization;

namespace PatchGen.Diagnostics;

/// <summary>
/// One entry of the catalogue: a stable ID, its severity, the format of its message, and what
/// docs/diagnostics.md says about it (generated from these entries). Front ends never invent IDs or
/// messages; they format these.
/// </summary>
public sealed class DiagnosticDescriptor
{
    internal DiagnosticDescriptor(string id, DiagnosticSeverity severity, string title, string messageFormat, string description, string howToFix)
    {
        Id = id;
        Severity = severity;
        Title = title;
        MessageFormat = messageFormat;
        Description = description;
        HowToFix = howToFix;
    }

    /// <summary>The stable ID, for example <c>PG2001</c>.</summary>
    public string Id { get; }

    /// <summary>The default severity (the catalogue's).</summary>
    public DiagnosticSeverity Severity { get; }

    /// <summary>A short summary of the rule, as the catalogue states it.</summary>
    public string Title { get; }

    /// <summary>A composite format string; arguments name members in C# terms.</summary>
    public string MessageFormat { get; }

    /// <summary>What raises it, in full (the title is its summary): the "when" of docs/diagnostics.md.</summary>
    public string Description { get; }

    /// <summary>What the author can do about it: the "how to fix" of docs/diagnostics.md.</summary>
    public string HowToFix { get; }

    /// <summary>Where docs/diagnostics.md documents it, relative to the repository root: <c>docs/diagnostics.md#pg2001</c>.</summary>
    public string DocumentationPath => "docs/diagnostics.md#" + Id.ToLowerInvariant();

    /// <summary>Formats the message with invariant culture.</summary>
    public string Format(params object[] args) => string.Format(CultureInfo.InvariantCulture, MessageFormat, args);

    public override string ToString() => Id;
}
