using System;
using System.Collections.Generic;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Metadata;

namespace PatchGen.Rules.Fields;

/// <summary>
/// The fields of a type present in both builds, paired by metadata name. Live objects already have
/// their layout, so storage cannot be added (PG2001) or removed (PG2002); a constant has no storage,
/// its value is compiled into the code that uses it (added: PG3007, removed: PG3003). Fields of both
/// builds are compared by <see cref="FieldChangeRule"/> and <see cref="ConstantRule"/>. Under the
/// extended model a removed field may stay in live objects, unused (<see cref="RemovedFieldRule"/>), and an
/// added static field may move into the patch (<see cref="AddedStaticFieldRule"/>), and an added instance field
/// may become a shadow variable (<see cref="AddedInstanceFieldRule"/>).
/// </summary>
internal static class FieldRules
{
    public static void Compare(RuleContext context, BaselineType b, BaselineType n)
    {
        var baseFields = new Dictionary<string, BaselineField>(StringComparer.Ordinal);
        foreach (var field in b.Fields)
        {
            if (!baseFields.ContainsKey(field.Name))
                baseFields.Add(field.Name, field);
        }
        var newNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in n.Fields)
        {
            newNames.Add(field.Name);
            if (baseFields.TryGetValue(field.Name, out var old))
                CompareField(context, b, old, field);
            else
                Added(context, b, n, field);
        }
        foreach (var field in b.Fields)
        {
            if (!newNames.Contains(field.Name))
                Removed(context, b, n, field);
        }
    }

    public static bool IsConstant(BaselineField field) => field.HasFlag("literal") || field.HasFlag("decimalconst");

    /// <param name="baseType">The type in the base build.</param>
    /// <param name="type">The type in the new build, which messages name.</param>
    private static void Added(RuleContext context, BaselineType baseType, BaselineType type, BaselineField field)
    {
        var site = FindingSite.Field(Side.New, field);
        if (IsConstant(field))
            context.Report(DiagnosticCatalog.MemberAdded, field.ReportedId, site, "constant " + field.DisplayName);
        else if (AddedStaticFieldRule.MayMove(context, type, field))
            context.Report(DiagnosticCatalog.AddedStaticFieldMoved, field.ReportedId, site, field.DisplayName, type.DisplayName);
        else if (AddedInstanceFieldRule.MayShadow(context, baseType, type, field))
            context.Report(DiagnosticCatalog.AddedInstanceFieldShadowed, field.ReportedId, site, field.DisplayName, type.DisplayName);
        else
            context.Report(DiagnosticCatalog.FieldAdded, field.ReportedId, site, field.DisplayName, type.DisplayName);
        context.Record(field.ReportedId, KindOfChange(type, field, ShapeChange.Added));
    }

    /// <param name="baseType">The type in the base build.</param>
    /// <param name="type">The type in the new build, which messages name.</param>
    private static void Removed(RuleContext context, BaselineType baseType, BaselineType type, BaselineField field)
    {
        var site = FindingSite.Field(Side.Base, field);
        if (IsConstant(field))
            context.Report(DiagnosticCatalog.MemberRemoved, field.ReportedId, site, "constant " + field.DisplayName);
        else if (context.Extended && RemovedFieldRule.MayStay(baseType, type))
            context.Report(DiagnosticCatalog.RemovedFieldKept, field.ReportedId, site, field.DisplayName, type.DisplayName);
        else
            context.Report(DiagnosticCatalog.FieldRemoved, field.ReportedId, site, field.DisplayName, type.DisplayName);
        context.Record(field.ReportedId, KindOfChange(type, field, ShapeChange.Removed));
    }

    /// <summary>
    /// A field reported under its own type (a captured primary-constructor parameter) changes the
    /// type, which is still there: the type is changed, not added or removed. A field reported under
    /// itself, its property or its event comes and goes with that member.
    /// </summary>
    private static ShapeChange KindOfChange(BaselineType type, BaselineField field, ShapeChange addedOrRemoved)
        => field.ReportedId == type.Id ? ShapeChange.Changed : addedOrRemoved;

    private static void CompareField(RuleContext context, BaselineType baseType, BaselineField b, BaselineField n)
    {
        bool changed = FieldChangeRule.Check(context, b, n);
        changed |= ConstantRule.Check(context, baseType, b, n);
        changed |= AccessibilityRule.Check(context, b, n);
        changed |= AttributesRule.Check(context, b, n);
        if (changed)
            context.Record(n.ReportedId, ShapeChange.Changed);
    }
}
