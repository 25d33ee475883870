using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Methods;

/// <summary>
/// A method, property or event only one build has. In an interface, implementers in the live process
/// do not have it (PG1005); a virtual one changes the dispatch table (PG1003); a static constructor
/// is static initialization, which already ran (PG2004). Otherwise it ships inside the patch (PG3007)
/// or is left behind by it (PG3003).
/// </summary>
internal static class AddedOrRemovedRule
{
    /// <param name="type">The method's type, in the build that has the method.</param>
    public static void Method(RuleContext context, BaselineType type, BaselineMethod method, bool added)
    {
        var id = MethodRules.ReportedId(type, method);
        var site = FindingSite.Signature(added ? Side.New : Side.Base, method);
        if (type.Kind == "interface")
            InterfaceMember(context, type, id, site, method.DeclaredName, added);
        else if (method.IsVirtual)
            context.Report(DiagnosticCatalog.DispatchLayoutChanged, id, site, method.DeclaredName, (method.IsAbstract ? "an abstract" : "a virtual") + " method was " + (added ? "added" : "removed"));
        else if (method.IsStaticConstructor)
            context.Report(DiagnosticCatalog.StaticInitializerChanged, id, site, type.DisplayName);
        else if (method.IsRecordClone)
            return; // Reported with its record type.
        else
            AddedOrRemoved(context, id, site, method.DeclaredName, added);
        context.Record(id, added ? ShapeChange.Added : ShapeChange.Removed);
    }

    /// <param name="kind"><c>property</c> or <c>event</c>.</param>
    public static void PropertyOrEvent(RuleContext context, BaselineType type, BaselineProperty member, string kind, bool added)
    {
        var site = FindingSite.PropertyOrEvent(added ? Side.New : Side.Base, member);
        var name = kind + " " + member.DisplayName;
        if (type.Kind == "interface")
            InterfaceMember(context, type, member.Id, site, name, added);
        else if (member.IsVirtual)
            context.Report(DiagnosticCatalog.DispatchLayoutChanged, member.Id, site, name, "a virtual " + kind + " was " + (added ? "added" : "removed"));
        else
            AddedOrRemoved(context, member.Id, site, name, added);
        context.Record(member.Id, added ? ShapeChange.Added : ShapeChange.Removed);
    }

    private static void InterfaceMember(RuleContext context, BaselineType type, string id, FindingSite site, string name, bool added)
        => context.Report(DiagnosticCatalog.InterfaceMembersChanged, id, site, name, added ? "added to" : "removed from", type.DisplayName);

    private static void AddedOrRemoved(RuleContext context, string id, FindingSite site, string name, bool added)
        => context.Report(added ? DiagnosticCatalog.MemberAdded : DiagnosticCatalog.MemberRemoved, id, site, name);
}
