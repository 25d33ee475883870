using System.Collections.Generic;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Metadata;

/// <summary>
/// PG3002: the custom attributes of an existing type, field, method (its return value and parameters
/// included), property or event changed, or a method's MethodImpl flags. Patchable: the live process
/// keeps the old attributes. Where a reader does not know attributes (the manifest), nothing is compared.
/// </summary>
internal static class AttributesRule
{
    public static bool Check(RuleContext context, BaselineType b, BaselineType n)
        => Change(b.Attributes, n.Attributes) is { } change && Report(context, n.Id, FindingSite.Type(Side.New, n), n.DisplayName, change);

    public static bool Check(RuleContext context, BaselineField b, BaselineField n)
        => Change(b.Attributes, n.Attributes) is { } change && Report(context, n.ReportedId, FindingSite.Field(Side.New, n), n.DisplayName, change);

    public static bool Check(RuleContext context, BaselineProperty b, BaselineProperty n)
        => Change(b.Attributes, n.Attributes) is { } change && Report(context, n.Id, FindingSite.PropertyOrEvent(Side.New, n), n.DisplayName, change);

    /// <summary>A method's attributes and, when both have an IL body, its MethodImpl flags (NoInlining, Synchronized...).</summary>
    public static bool Check(RuleContext context, BaselineMethod b, BaselineMethod n, string member)
    {
        var change = Change(b.Attributes, n.Attributes);
        if (b.HasBody && n.HasBody && b.ImplementationFlags >= 0 && n.ImplementationFlags >= 0 && b.ImplementationFlags != n.ImplementationFlags)
            change = (change is null ? "" : change + ", ") + MethodImplText.Change(b.ImplementationFlags, n.ImplementationFlags);
        return change != null && Report(context, member, FindingSite.Signature(Side.New, n), n.DisplayName, change);
    }

    private static string? Change(SortedSet<string>? b, SortedSet<string>? n)
        => b is null || n is null ? null : AttributeChangeText.Describe(b, n);

    private static bool Report(RuleContext context, string member, FindingSite site, string name, string change)
        => context.Report(DiagnosticCatalog.AttributesChanged, member, site, name, change);
}
