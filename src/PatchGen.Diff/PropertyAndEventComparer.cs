using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Properties and events are metadata over accessor methods. A whole property or event that appears
/// or disappears, or whose signature changed (its type, static-ness, or an indexer's parameters), is
/// reported once, under its own ID (its accessors are then not reported again); other changes to
/// existing accessors are left to <see cref="MethodComparer"/>.
/// </summary>
internal static class PropertyAndEventComparer
{
    /// <returns>The accessors already accounted for, which the method comparison must skip.</returns>
    public static HashSet<MethodDefinition> Compare(DiffContext context, TypeDefinition b, TypeDefinition n)
    {
        var accounted = new HashSet<MethodDefinition>();
        CompareMembers(context, b, n, accounted,
            b.Properties, n.Properties, DocumentationId.ForProperty,
            p => new[] { p.GetMethod, p.SetMethod }.Concat(p.OtherMethods), "property",
            (renderer, p) => (p.HasThis ? "" : "static ") + renderer.TypeName(p.PropertyType),
            (p, qualified) => (p.HasThis ? "" : "static ") + CSharpName.Type(p.PropertyType, qualified) + " " + CSharpName.Of(p, qualified));
        CompareMembers(context, b, n, accounted,
            b.Events, n.Events, DocumentationId.ForEvent,
            e => new[] { e.AddMethod, e.RemoveMethod, e.InvokeMethod }.Concat(e.OtherMethods), "event",
            (renderer, e) => (IsStatic(e) ? "static " : "") + renderer.TypeName(e.EventType),
            (e, qualified) => (IsStatic(e) ? "static " : "") + "event " + CSharpName.Type(e.EventType, qualified) + " " + CSharpName.Of(e, qualified));
        return accounted;
    }

    private static void CompareMembers<T>(
        DiffContext context, TypeDefinition b, TypeDefinition n, HashSet<MethodDefinition> accounted,
        IEnumerable<T> baseMembers, IEnumerable<T> newMembers, Func<T, string> idOf,
        Func<T, IEnumerable<MethodDefinition?>> accessorsOf, string kind,
        Func<ClosureRenderer, T, string> signatureOf, Func<T, bool, string> prototypeOf)
        where T : class, IMemberDefinition
    {
        var before = baseMembers.ToDictionary(idOf, StringComparer.Ordinal);
        var after = newMembers.ToDictionary(idOf, StringComparer.Ordinal);

        // Like methods, a property or event is the same member when its name is: an indexer whose
        // parameters changed (Item(Int32) became Item(Int64)) is not a removal plus an addition, and
        // a property whose type changed is not a change of its accessors alone. Either way, code
        // compiled against the old accessors would break: one signature change, under the member.
        var renamedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in before.Where(p => !after.ContainsKey(p.Key)).GroupBy(p => p.Value.Name).ToList())
        {
            var candidates = after.Where(p => !before.ContainsKey(p.Key) && p.Value.Name == group.Key);
            foreach (var (old, member) in group.Zip(candidates))
            {
                ReportSignatureChanged(context, old.Key, old.Value, member.Value, accounted, accessorsOf, signatureOf, prototypeOf);
                renamedIds.Add(old.Key);
                renamedIds.Add(member.Key);
            }
        }

        foreach (var (id, member) in after)
        {
            if (renamedIds.Contains(id))
                continue;
            if (before.TryGetValue(id, out var old))
            {
                if (signatureOf(context.BaseRenderer, old) != signatureOf(context.NewRenderer, member))
                    ReportSignatureChanged(context, id, old, member, accounted, accessorsOf, signatureOf, prototypeOf);
                var attributes = MetadataText.Describe(MetadataText.Attributes(old), MetadataText.Attributes(member));
                if (attributes != null)
                {
                    context.Report(DiagnosticCatalog.AttributesChanged, id, context.NewSource.ForDeclaration(member), CSharpName.Of(member), attributes);
                    context.Change(id, ChangeKind.Changed);
                }
                continue;
            }
            var accessors = accessorsOf(member).OfType<MethodDefinition>().ToList();
            accounted.UnionWith(accessors);
            ReportAddedOrRemoved(context, n, id, member, accessors, kind, added: true);
        }

        foreach (var (id, member) in before)
        {
            if (after.ContainsKey(id) || renamedIds.Contains(id))
                continue;
            var accessors = accessorsOf(member).OfType<MethodDefinition>().ToList();
            accounted.UnionWith(accessors);
            ReportAddedOrRemoved(context, b, id, member, accessors, kind, added: false);
        }
    }

    private static void ReportSignatureChanged<T>(DiffContext context, string id, T old, T member, HashSet<MethodDefinition> accounted,
        Func<T, IEnumerable<MethodDefinition?>> accessorsOf, Func<ClosureRenderer, T, string> signatureOf, Func<T, bool, string> prototypeOf)
        where T : class, IMemberDefinition
    {
        // The accessors are the property: they are not compared again (as for a method whose
        // signature changed, neither are their bodies).
        accounted.UnionWith(accessorsOf(old).OfType<MethodDefinition>());
        accounted.UnionWith(accessorsOf(member).OfType<MethodDefinition>());
        var (was, now) = (CSharpName.Of(old), prototypeOf(member, false));
        // As for methods (MethodComparer.SignatureTexts): when both prototypes read the same in C#
        // (a type moved to another namespace), name them namespace-qualified, or failing that as metadata.
        if (prototypeOf(old, false) == now)
        {
            (was, now) = (prototypeOf(old, true), prototypeOf(member, true));
            if (was == now)
                (was, now) = (CSharpName.Of(old) + " [" + signatureOf(context.BaseRenderer, old) + "]", prototypeOf(member, false) + " [" + signatureOf(context.NewRenderer, member) + "]");
        }
        context.Report(DiagnosticCatalog.SignatureChanged, id, context.NewSource.ForDeclaration(member), was, now);
        context.Change(id, ChangeKind.Changed);
    }

    private static bool IsStatic(EventDefinition evt) => (evt.AddMethod ?? evt.RemoveMethod)?.IsStatic ?? false;

    private static void ReportAddedOrRemoved(DiffContext context, TypeDefinition type, string id, IMemberDefinition member,
        List<MethodDefinition> accessors, string kind, bool added)
    {
        var location = added ? context.NewSource.ForDeclaration(member) : context.BaseSource.ForDeclaration(member);
        var name = kind + " " + CSharpName.Of(member);
        if (type.IsInterface)
        {
            context.Report(DiagnosticCatalog.InterfaceMembersChanged, id, location, name, added ? "added to" : "removed from", CSharpName.Type(type));
        }
        else if (accessors.Any(a => a.IsVirtual))
        {
            context.Report(DiagnosticCatalog.DispatchLayoutChanged, id, location, name, added ? "a virtual " + kind + " was added" : "a virtual " + kind + " was removed");
        }
        else
        {
            context.Report(added ? DiagnosticCatalog.MemberAdded : DiagnosticCatalog.MemberRemoved, id, location, name);
        }
        context.Change(id, added ? ChangeKind.Added : ChangeKind.Removed);
    }
}
