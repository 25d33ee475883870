using System;
using System.Collections.Generic;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Types;

/// <summary>
/// The types of two builds, paired by metadata name: a type only in the base build is removed
/// (PG3003), only in the new build added (PG3007; it ships inside the patch), and one whose generic
/// arity changed is an existing type changed (PG1002, under the old type). Only the outermost type
/// of a removed or added nest is reported: its nested types go with it.
/// </summary>
internal static class TypeSetRule
{
    /// <param name="compareType">Compares a type present in both builds.</param>
    public static void Compare(RuleContext context, IEnumerable<BaselineType> @base, IEnumerable<BaselineType> @new, Action<BaselineType, BaselineType> compareType)
    {
        var baseTypes = ByMetadataName(@base);
        var newTypes = ByMetadataName(@new);
        foreach (var b in baseTypes.Values)
        {
            if (newTypes.TryGetValue(b.MetadataName, out var n))
            {
                compareType(b, n);
                continue;
            }
            if (EnclosingTypeIsGone(b, newTypes))
                continue;
            if (TypeArity.OtherArityOf(b, newTypes) is { } renamed)
            {
                ArityChanged(context, b, renamed);
                continue;
            }
            context.Report(DiagnosticCatalog.MemberRemoved, b.Id, FindingSite.Type(Side.Base, b), "type " + b.DisplayName);
            context.Record(b.Id, ShapeChange.Removed);
        }
        foreach (var n in newTypes.Values)
        {
            if (baseTypes.ContainsKey(n.MetadataName) || EnclosingTypeIsGone(n, baseTypes) || TypeArity.OtherArityOf(n, baseTypes) != null)
                continue;
            context.Report(DiagnosticCatalog.MemberAdded, n.Id, FindingSite.Type(Side.New, n), "type " + n.DisplayName);
            context.Record(n.Id, ShapeChange.Added);
        }
    }

    /// <summary>PG1002 under the old type, at the declaration of the type that took its place.</summary>
    public static void ArityChanged(RuleContext context, BaselineType old, BaselineType renamed)
    {
        context.Report(DiagnosticCatalog.GenericsChanged, old.Id, FindingSite.Type(Side.New, renamed), old.DisplayName, GenericsRule.Arity);
        context.Record(old.Id, ShapeChange.Changed);
    }

    private static bool EnclosingTypeIsGone(BaselineType type, SortedDictionary<string, BaselineType> other)
        => type.DeclaringTypeId.Length > 0 && !other.ContainsKey(type.MetadataName.Substring(0, type.MetadataName.LastIndexOf('+')));

    private static SortedDictionary<string, BaselineType> ByMetadataName(IEnumerable<BaselineType> types)
    {
        var byName = new SortedDictionary<string, BaselineType>(StringComparer.Ordinal);
        foreach (var type in types)
            byName[type.MetadataName] = type;
        return byName;
    }
}
