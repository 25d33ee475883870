using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Methods;

/// <summary>
/// PG2008: the base's accessor is the compiler's auto-property accessor and the fix gives it a body of its
/// own (C# 14's <c>field</c>, or a hand-written body over the same backing field). Such an accessor has no
/// patch site (docs/patch-sites.md, "Which methods get a site"), so no patch could redirect it. Read from
/// the shapes on both sides (IL in the diff engine, source in the analyzer), so both report it alike.
/// </summary>
internal static class AutoAccessorRule
{
    public static bool Check(RuleContext context, BaselineMethod b, BaselineMethod n, string member)
        => b.IsAutoAccessor && !n.IsAutoAccessor && n.HasBody
           && context.Report(DiagnosticCatalog.AutoPropertyAccessorChanged, member, FindingSite.Signature(Side.New, n), n.DisplayName);
}
