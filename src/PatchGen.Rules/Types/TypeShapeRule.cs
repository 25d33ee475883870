using System.Collections.Generic;
using System.Linq;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Types;

/// <summary>
/// PG1004: an existing type's kind (a struct's readonly and ref modifiers included), base type,
/// implemented interfaces, enum underlying type or abstract/sealed/static modifiers changed. Live
/// objects and every caller compiled against the type depend on all of them.
/// </summary>
internal static class TypeShapeRule
{
    private const string Enum = "enum";

    /// <returns>Whether the kind changed (class to struct...): the members of a type that is now something else are not compared.</returns>
    public static bool KindChanged(RuleContext context, BaselineType b, BaselineType n)
        => b.Kind != n.Kind && !(IsStruct(b) && IsStruct(n)) && Report(context, n, $"changed from {b.Kind} to {n.Kind}");

    public static bool Check(RuleContext context, BaselineType b, BaselineType n)
    {
        bool reported = false;
        // A struct that gained or lost readonly or ref is still a struct with the same members (they
        // are compared), but callers depend on both: a ref struct's instances never leave the stack,
        // and a readonly struct's methods are called on readonly references without a defensive copy.
        if (b.Kind != n.Kind && IsStruct(b) && IsStruct(n))
            reported |= Report(context, n, $"changed from {b.Kind} to {n.Kind}");
        if (context.Differ(b.BaseType, n.BaseType))
            reported |= Report(context, n, $"base type changed from {OrNone(b.BaseTypeDisplay)} to {OrNone(n.BaseTypeDisplay)}");
        reported |= InterfacesChanged(context, b, n);
        // An enum's storage is its underlying type: every value, field and array of it has that size.
        if (b.Kind == Enum && b.EnumUnderlyingType.Length > 0 && n.EnumUnderlyingType.Length > 0 && context.Differ(b.EnumUnderlyingType, n.EnumUnderlyingType))
            reported |= Report(context, n, $"underlying type changed from {b.EnumUnderlyingTypeDisplay} to {n.EnumUnderlyingTypeDisplay}");
        if (b.Modifiers != n.Modifiers)
            reported |= Report(context, n, $"changed from {SignatureText.TypeModifiersDisplay(b.Modifiers)} to {SignatureText.TypeModifiersDisplay(n.Modifiers)}");
        return reported;
    }

    /// <summary>Each interface implemented now and not before, and the reverse; nothing while the new list names an unbound type.</summary>
    private static bool InterfacesChanged(RuleContext context, BaselineType b, BaselineType n)
    {
        if (n.Interfaces.Any(context.IsUnknown))
            return false;
        bool reported = false;
        var before = new HashSet<string>(b.Interfaces, System.StringComparer.Ordinal);
        var after = new HashSet<string>(n.Interfaces, System.StringComparer.Ordinal);
        for (int i = 0; i < n.Interfaces.Count; i++)
        {
            if (!before.Contains(n.Interfaces[i]))
                reported |= Report(context, n, "now implements " + n.InterfaceDisplay(i));
        }
        for (int i = 0; i < b.Interfaces.Count; i++)
        {
            if (!after.Contains(b.Interfaces[i]))
                reported |= Report(context, n, "no longer implements " + b.InterfaceDisplay(i));
        }
        return reported;
    }

    private static bool IsStruct(BaselineType type) => type.Kind.EndsWith("struct", System.StringComparison.Ordinal);

    private static string OrNone(string type) => type.Length == 0 ? "none" : type;

    private static bool Report(RuleContext context, BaselineType n, string what)
        => context.Report(DiagnosticCatalog.TypeShapeChanged, n.Id, FindingSite.Type(Side.New, n), n.DisplayName, what);
}
