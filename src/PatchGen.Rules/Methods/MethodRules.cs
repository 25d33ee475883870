using System;
using System.Collections.Generic;
using System.Linq;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Texts;
using PatchGen.Rules.Types;

namespace PatchGen.Rules.Methods;

/// <summary>
/// The methods of a type present in both builds, matched by documentation ID. An unmatched base
/// method and an unmatched new method with the same name are one method whose signature changed
/// (PG1001, or PG1002 when the generic arity differs; under the extended model possibly PG3010,
/// <see cref="SignatureHelperRule"/>), reported under the old ID; other unmatched
/// methods are removed or added (<see cref="AddedOrRemovedRule"/>). Accessors of a property or event
/// already reported as a whole are left out.
/// </summary>
internal static class MethodRules
{
    public static void Compare(RuleContext context, BaselineType b, BaselineType n, HashSet<string> accountedAccessors)
    {
        var before = ById(b.Methods);
        var after = ById(n.Methods);
        foreach (var pair in after)
        {
            if (before.TryGetValue(pair.Key, out var old) && !accountedAccessors.Contains(pair.Key))
                MatchedMethodRules.Compare(context, n, old, pair.Value);
        }

        var removed = before.Where(p => !after.ContainsKey(p.Key) && !accountedAccessors.Contains(p.Key)).Select(p => p.Value).ToList();
        var added = after.Where(p => !before.ContainsKey(p.Key) && !accountedAccessors.Contains(p.Key)).Select(p => p.Value).ToList();
        foreach (var group in removed.GroupBy(m => m.Name).ToList())
        {
            var candidates = added.Where(m => m.Name == group.Key).ToList();
            foreach (var (old, method) in group.Zip(candidates, (o, m) => (o, m)))
            {
                SignatureChanged(context, old, method);
                removed.Remove(old);
                added.Remove(method);
            }
        }
        foreach (var method in removed)
            AddedOrRemovedRule.Method(context, b, method, added: false);
        foreach (var method in added)
            AddedOrRemovedRule.Method(context, n, method, added: true);
    }

    /// <summary>The ID a method is reported under: its own, or for a record's clone method the record's.</summary>
    public static string ReportedId(BaselineType type, BaselineMethod method) => method.IsRecordClone ? type.Id : method.Id;

    /// <summary>Same name, other parameters or arity: the old method's signature changed.</summary>
    private static void SignatureChanged(RuleContext context, BaselineMethod old, BaselineMethod method)
    {
        var site = FindingSite.Signature(Side.New, method);
        if (old.GenericParameters.Count != method.GenericParameters.Count)
        {
            context.Report(DiagnosticCatalog.GenericsChanged, old.Id, site, old.DeclaredName, GenericsRule.Arity);
        }
        else if (SignatureHelperRule.Applies(context, old, method))
        {
            // The new method is one the fix adds (shipped as a helper); the old one is left behind.
            var (was, now) = SignatureTexts.Of(old.DeclaredName, old, method);
            context.Report(DiagnosticCatalog.SignatureChangedCallersReplaced, old.Id, site, was, now);
            context.Record(old.Id, ShapeChange.Removed);
            context.Record(method.Id, ShapeChange.Added);
            return;
        }
        else
        {
            var (was, now) = SignatureTexts.Of(old.DeclaredName, old, method);
            context.Report(DiagnosticCatalog.SignatureChanged, old.Id, site, was, now);
        }
        context.Record(old.Id, ShapeChange.Changed);
    }

    /// <summary>Methods by documentation ID, in ID order; of two with one ID (only metadata can have that), the later one.</summary>
    private static SortedDictionary<string, BaselineMethod> ById(List<BaselineMethod> methods)
    {
        var byId = new SortedDictionary<string, BaselineMethod>(StringComparer.Ordinal);
        foreach (var method in methods)
            byId[method.Id] = method;
        return byId;
    }
}
