using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Metadata;
using PatchGen.Rules.Texts;
using PatchGen.Rules.Types;

namespace PatchGen.Rules.Methods;

/// <summary>
/// A method present in both builds: its prototype (PG1001), generics (PG1002), dispatch (PG1003),
/// bodiless implementation or LibraryImport stub (PG1006), an auto-property accessor given a body (PG2008), parameter default values (PG2005),
/// accessibility (PG3001) and attributes (PG3002). Its body is the host's business
/// (<see cref="IFindingSink.MethodsMatched"/>).
/// </summary>
internal static class MatchedMethodRules
{
    public static void Compare(RuleContext context, BaselineType type, BaselineMethod b, BaselineMethod n)
    {
        var id = MethodRules.ReportedId(type, n);
        var site = FindingSite.Signature(Side.New, n);
        bool changed = false;
        if (context.Differ(b.Signature, n.Signature))
        {
            var (was, now) = SignatureTexts.Of(n.DisplayName, b, n);
            changed |= context.Report(DiagnosticCatalog.SignatureChanged, id, site, was, now);
        }
        changed |= GenericsRule.Check(context, b, n, id);
        // Dispatch tables of live types are laid out: a slot cannot appear, vanish or change kind.
        if (context.Differ(b.Dispatch, n.Dispatch))
            changed |= context.Report(DiagnosticCatalog.DispatchLayoutChanged, id, site, n.DisplayName, $"dispatch changed from {b.DispatchDisplay} to {n.DispatchDisplay}");
        changed |= NoBodyRule.Check(context, b, n, id);
        changed |= AutoAccessorRule.Check(context, b, n, id);
        changed |= AccessibilityRule.Check(context, b, n, id);
        changed |= AttributesRule.Check(context, b, n, id);
        changed |= DefaultValueRule.Check(context, b, n, id);
        if (changed)
            context.Record(id, ShapeChange.Changed);
        context.Sink.MethodsMatched(b, n, id);
    }
}
