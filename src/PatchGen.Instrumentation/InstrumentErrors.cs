using PatchGen.Diagnostics;

namespace PatchGen.Instrumentation;

/// <summary>The input errors of <c>patchgen instrument</c>: all PG0001, one line naming the path.</summary>
internal static class InstrumentErrors
{
    public static PatchGenException Input(string path, string reason)
    {
        var descriptor = DiagnosticCatalog.InputUnreadable;
        return new PatchGenException(new PatchDiagnostic(descriptor.Id, descriptor.Severity, null, descriptor.Format(path, reason), null, null));
    }
}
