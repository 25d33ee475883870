using System;
using System.Collections.Generic;
using System.Linq;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Metadata;
using PatchGen.Rules.Methods;
using PatchGen.Rules.Texts;

namespace PatchGen.Rules.PropertiesAndEvents;

/// <summary>
/// Properties and events are metadata over accessor methods. A whole property or event that appears
/// or disappears, or whose signature changed (its type, static-ness, or an indexer's parameters), is
/// reported once, under its own ID, and its accessors are not compared again; other changes of
/// existing accessors are the method rules' (<see cref="MethodRules"/>).
/// </summary>
internal static class PropertyAndEventRules
{
    /// <returns>The documentation IDs of the accessors accounted for, which the method rules skip.</returns>
    public static HashSet<string> Compare(RuleContext context, BaselineType b, BaselineType n)
    {
        var accounted = new HashSet<string>(StringComparer.Ordinal);
        Compare(context, b, n, b.Properties, n.Properties, "property", accounted);
        Compare(context, b, n, b.Events, n.Events, "event", accounted);
        return accounted;
    }

    private static void Compare(RuleContext context, BaselineType b, BaselineType n, List<BaselineProperty> baseMembers, List<BaselineProperty> newMembers,
        string kind, HashSet<string> accounted)
    {
        var before = ById(baseMembers);
        var after = ById(newMembers);

        // Like methods, a property or event is the same member when its name is: an indexer whose
        // parameters changed (Item(Int32) became Item(Int64)) is not a removal plus an addition, and
        // a property whose type changed is not a change of its accessors alone. Either way, code
        // compiled against the old accessors would break: one signature change, under the member.
        var paired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in before.Where(p => !after.ContainsKey(p.Key)).GroupBy(p => p.Value.Name).ToList())
        {
            var candidates = after.Where(p => !before.ContainsKey(p.Key) && p.Value.Name == group.Key);
            foreach (var (old, member) in group.Zip(candidates, (o, m) => (o, m)))
            {
                SignatureChanged(context, old.Key, old.Value, member.Value, accounted);
                paired.Add(old.Key);
                paired.Add(member.Key);
            }
        }

        foreach (var pair in after)
        {
            if (paired.Contains(pair.Key))
                continue;
            if (before.TryGetValue(pair.Key, out var old))
            {
                if (context.Differ(old.Signature, pair.Value.Signature))
                    SignatureChanged(context, pair.Key, old, pair.Value, accounted);
                if (AttributesRule.Check(context, old, pair.Value))
                    context.Record(pair.Key, ShapeChange.Changed);
                continue;
            }
            accounted.UnionWith(pair.Value.Accessors);
            AddedOrRemovedRule.PropertyOrEvent(context, n, pair.Value, kind, added: true);
        }

        foreach (var pair in before)
        {
            if (after.ContainsKey(pair.Key) || paired.Contains(pair.Key))
                continue;
            accounted.UnionWith(pair.Value.Accessors);
            AddedOrRemovedRule.PropertyOrEvent(context, b, pair.Value, kind, added: false);
        }
    }

    /// <summary>PG1001 under <paramref name="id"/>; the accessors are the member, and are not compared again (neither their signatures nor their bodies).</summary>
    private static void SignatureChanged(RuleContext context, string id, BaselineProperty old, BaselineProperty member, HashSet<string> accounted)
    {
        accounted.UnionWith(old.Accessors);
        accounted.UnionWith(member.Accessors);
        var (was, now) = SignatureTexts.Of(old.DisplayName, old, member);
        context.Report(DiagnosticCatalog.SignatureChanged, id, FindingSite.PropertyOrEvent(Side.New, member), was, now);
        context.Record(id, ShapeChange.Changed);
    }

    /// <summary>Members by documentation ID, in declaration order; of two with one ID, the first.</summary>
    private static Dictionary<string, BaselineProperty> ById(List<BaselineProperty> members)
    {
        var byId = new Dictionary<string, BaselineProperty>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!byId.ContainsKey(member.Id))
                byId.Add(member.Id, member);
        }
        return byId;
    }
}
