namespace PatchGen.Diagnostics;

/// <summary>
/// One reported diagnostic: a catalogue entry, the member it is about (a documentation comment ID,
/// or null for the whole assembly), its formatted message and, when symbols allow, a source location.
/// It lives beside the catalogue so that every stage (diff engine, instrumenter, source patching,
/// emitter, front ends) can report one without depending on the Roslyn-heavy diff engine.
/// </summary>
public sealed record PatchDiagnostic(
    string Id,
    DiagnosticSeverity Severity,
    string? Member,
    string Message,
    string? File,
    int? Line)
{
    /// <summary>A diagnostic about no member and no source line (an input, a file, an operation).</summary>
    public static PatchDiagnostic Of(DiagnosticDescriptor descriptor, params object[] args)
        => new PatchDiagnostic(descriptor.Id, descriptor.Severity, null, descriptor.Format(args), null, null);

    /// <summary>A diagnostic about <paramref name="member"/>, at a source line when symbols give one.</summary>
    public static PatchDiagnostic At(DiagnosticDescriptor descriptor, string? member, string? file, int? line, params object[] args)
        => new PatchDiagnostic(descriptor.Id, descriptor.Severity, member, descriptor.Format(args), file, line);

    /// <summary>The catalogue severity can be changed where the catalogue says so (PG0003 is a warning for diff, an error for build).</summary>
    public PatchDiagnostic WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    /// <summary>MSBuild canonical form, so that IDEs and CI logs link to the source.</summary>
    public override string ToString()
    {
        var where = File is null ? "patchgen" : Line is null ? File : $"{File}({Line})";
        string severity;
        switch (Severity)
        {
            case DiagnosticSeverity.Error: severity = "error"; break;
            case DiagnosticSeverity.Warning: severity = "warning"; break;
            default: severity = "info"; break;
        }
        return $"{where}: {severity} {Id}: {Message}";
    }
}
