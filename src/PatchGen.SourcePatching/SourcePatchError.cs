using PatchGen.Diagnostics;

namespace PatchGen.SourcePatching;

/// <summary>
/// Builds the PG0001 errors of this library. A patch that does not apply and a project that does
/// not build are input errors like an unreadable assembly: one line, naming what and where.
/// </summary>
internal static class SourcePatchError
{
    /// <summary>An error about <paramref name="subject"/> (a patch or project path); <paramref name="file"/> and <paramref name="line"/> locate it for IDEs.</summary>
    public static PatchGenException Create(string subject, string detail, string? file = null, int? line = null, Exception? inner = null)
    {
        var descriptor = DiagnosticCatalog.InputUnreadable;
        var diagnostic = new PatchDiagnostic(descriptor.Id, descriptor.Severity, null, descriptor.Format(subject, detail), file, line);
        return new PatchGenException(diagnostic, inner);
    }
}
