using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Methods;

/// <summary>
/// PG1006: a method without an IL body (extern, P/Invoke, internal call, runtime-implemented,
/// abstract) whose import or implementation data changed, or that gained or lost its body; and a
/// LibraryImport method whose stub changed, compared from source where IL cannot be seen (the diff
/// engine sees the stub's IL and reports it with the body change). A patch replaces IL bodies only.
/// </summary>
internal static class NoBodyRule
{
    private const string LibraryImportStub = "a LibraryImport stub";

    public static bool Check(RuleContext context, BaselineMethod b, BaselineMethod n, string member)
    {
        bool reported = false;
        if ((!b.HasBody || !n.HasBody) && b.NoBody != n.NoBody)
            reported |= context.Report(DiagnosticCatalog.NoBodyToReplace, member, FindingSite.Signature(Side.New, n), n.DisplayName, (n.HasBody ? b : n).NoBodyDisplay);
        if (b.HasBody && n.HasBody && Known(b.StubFingerprint) && Known(n.StubFingerprint) && b.StubFingerprint != n.StubFingerprint)
            reported |= context.Report(DiagnosticCatalog.NoBodyToReplace, member, FindingSite.Signature(Side.New, n), n.DisplayName, LibraryImportStub);
        return reported;
    }

    private static bool Known(string fingerprint) => fingerprint.Length > 0 && fingerprint != BaselineType.Unknown;
}
