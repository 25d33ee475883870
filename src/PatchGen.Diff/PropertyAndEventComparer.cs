using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Properties and events are metadata over accessor methods. A whole property or event that appears
/// or disappears is reported once, under its own ID (its accessors are then not reported again);
/// changes to existing accessors are left to <see cref="MethodComparer"/>.
/// </summary>
internal static class PropertyAndEventComparer
{
    /// <returns>The accessors already accounted for, which the method comparison must skip.</returns>
    public static HashSet<MethodDefinition> Compare(DiffContext context, TypeDefinition b, TypeDefinition n)
    {
        var accounted = new HashSet<MethodDefinition>();
        CompareMembers(context, b, n, accounted,
            b.Properties, n.Properties, DocumentationId.ForProperty,
            p => new[] { p.GetMethod, p.SetMethod }.Concat(p.OtherMethods), "property");
        CompareMembers(context, b, n, accounted,
            b.Events, n.Events, DocumentationId.ForEvent,
            e => new[] { e.AddMethod, e.RemoveMethod, e.InvokeMethod }.Concat(e.OtherMethods), "event");
        return accounted;
    }

    private static void CompareMembers<T>(
        DiffContext context, TypeDefinition b, TypeDefinition n, HashSet<MethodDefinition> accounted,
        IEnumerable<T> baseMembers, IEnumerable<T> newMembers, Func<T, string> idOf,
        Func<T, IEnumerable<MethodDefinition?>> accessorsOf, string kind)
        where T : class, IMemberDefinition
    {
        var before = baseMembers.ToDictionary(idOf, StringComparer.Ordinal);
        var after = newMembers.ToDictionary(idOf, StringComparer.Ordinal);

        foreach (var (id, member) in after)
        {
            if (before.TryGetValue(id, out var old))
            {
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
            if (after.ContainsKey(id))
                continue;
            var accessors = accessorsOf(member).OfType<MethodDefinition>().ToList();
            accounted.UnionWith(accessors);
            ReportAddedOrRemoved(context, b, id, member, accessors, kind, added: false);
        }
    }

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
