namespace PatchGen.Diagnostics;

/// <summary>How serious a PatchGen diagnostic is. Any <see cref="Error"/> makes a change unpatchable.</summary>
public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}
