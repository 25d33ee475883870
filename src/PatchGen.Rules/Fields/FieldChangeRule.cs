using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Texts;

namespace PatchGen.Rules.Fields;

/// <summary>
/// PG2003: an existing field's type, volatility, static-ness, read-only-ness, const-ness,
/// marshalling or thread-static-ness changed: live objects and unpatched code use the old storage.
/// </summary>
internal static class FieldChangeRule
{
    public static bool Check(RuleContext context, BaselineField b, BaselineField n)
    {
        bool reported = false;
        // A constant has no storage to retype: its type is part of the value copied into callers,
        // and is reported with it (PG2005).
        bool constants = b.HasFlag("literal") && n.HasFlag("literal");
        if (!constants)
        {
            if (context.Differ(b.Type, n.Type))
            {
                var (was, now) = SignatureTexts.OfTypes(b, n);
                reported |= Report(context, n, $"type from {was} to {now}");
            }
            else if (b.HasFlag("volatile") != n.HasFlag("volatile"))
            {
                reported |= Report(context, n, n.HasFlag("volatile") ? "to volatile" : "to not volatile");
            }
        }
        reported |= Flag(context, b, n, "static", "from instance to static", "from static to instance");
        reported |= Flag(context, b, n, "readonly", "to readonly", "to not readonly");
        reported |= Flag(context, b, n, "literal", "to const", "from const to a stored field");
        if (b.Marshal != n.Marshal)
            reported |= Report(context, n, "marshalling");
        reported |= Flag(context, b, n, "threadstatic", "to thread-static", "to not thread-static");
        return reported;
    }

    private static bool Flag(RuleContext context, BaselineField b, BaselineField n, string flag, string gained, string lost)
    {
        bool had = b.HasFlag(flag), has = n.HasFlag(flag);
        return had != has && Report(context, n, has ? gained : lost);
    }

    private static bool Report(RuleContext context, BaselineField n, string what)
        => context.Report(DiagnosticCatalog.FieldChanged, n.ReportedId, FindingSite.Field(Side.New, n), n.DisplayName, what);
}
