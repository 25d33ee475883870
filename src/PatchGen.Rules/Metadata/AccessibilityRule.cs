using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Metadata;

/// <summary>
/// PG3001: the accessibility of an existing type, field or method changed. Patchable: the patched
/// code runs, but reflection and other assemblies still see the old accessibility. Where a reader
/// does not know accessibility (the manifest), nothing is compared.
/// </summary>
internal static class AccessibilityRule
{
    public static bool Check(RuleContext context, BaselineType b, BaselineType n)
        => Changed(b.Accessibility, n.Accessibility) && Report(context, b.Accessibility, n.Accessibility, n.Id, FindingSite.Type(Side.New, n), n.DisplayName);

    public static bool Check(RuleContext context, BaselineField b, BaselineField n)
        => Changed(b.Accessibility, n.Accessibility) && Report(context, b.Accessibility, n.Accessibility, n.ReportedId, FindingSite.Field(Side.New, n), n.DisplayName);

    public static bool Check(RuleContext context, BaselineMethod b, BaselineMethod n, string member)
        => Changed(b.Accessibility, n.Accessibility) && Report(context, b.Accessibility, n.Accessibility, member, FindingSite.Signature(Side.New, n), n.DisplayName);

    private static bool Changed(string b, string n) => b.Length > 0 && n.Length > 0 && b != n;

    private static bool Report(RuleContext context, string b, string n, string member, FindingSite site, string name)
        => context.Report(DiagnosticCatalog.AccessibilityChanged, member, site, name, b, n);
}
