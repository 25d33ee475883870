using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// One reported diagnostic: a catalogue entry, the member it is about (a documentation comment ID,
/// or null for the whole assembly), its formatted message and, when symbols allow, a source location.
/// </summary>
public sealed record PatchDiagnostic(
    string Id,
    DiagnosticSeverity Severity,
    string? Member,
    string Message,
    string? File,
    int? Line)
{
    internal static PatchDiagnostic Create(DiagnosticDescriptor descriptor, string? member, SourceLocation? location, params object[] args)
        => new(descriptor.Id, descriptor.Severity, member, descriptor.Format(args), location?.File, location?.Line);

    /// <summary>The catalogue severity can be lowered where the catalogue says so (PG0003 is a warning for diff).</summary>
    internal PatchDiagnostic WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    /// <summary>MSBuild canonical form, so that IDEs and CI logs link to the source.</summary>
    public override string ToString()
    {
        var where = File is null ? "patchgen" : Line is null ? File : $"{File}({Line})";
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        return $"{where}: {severity} {Id}: {Message}";
    }
}
