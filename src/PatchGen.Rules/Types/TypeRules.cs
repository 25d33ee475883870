using PatchGen.Baseline;
using PatchGen.Rules.Fields;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Metadata;
using PatchGen.Rules.Methods;
using PatchGen.Rules.PropertiesAndEvents;

namespace PatchGen.Rules.Types;

/// <summary>
/// One type present in both builds: its shape (PG1004), generics (PG1002), accessibility (PG3001),
/// attributes (PG3002), layout (PG2006) and static initialization from source (PG2004), then its
/// fields, properties and events, and methods.
/// </summary>
internal static class TypeRules
{
    public static void Compare(RuleContext context, BaselineType b, BaselineType n)
    {
        if (TypeShapeRule.KindChanged(context, b, n))
        {
            context.Record(n.Id, ShapeChange.Changed);
            return; // Members of a type that is now something else entirely are not worth comparing.
        }
        bool changed = TypeShapeRule.Check(context, b, n);
        changed |= GenericsRule.Check(context, b, n);
        changed |= AccessibilityRule.Check(context, b, n);
        changed |= AttributesRule.Check(context, b, n);
        changed |= LayoutRule.Check(context, b, n);
        if (changed)
            context.Record(n.Id, ShapeChange.Changed);
        StaticInitializationRule.Check(context, b, n);

        FieldRules.Compare(context, b, n);
        var accountedAccessors = PropertyAndEventRules.Compare(context, b, n);
        MethodRules.Compare(context, b, n, accountedAccessors);
    }
}
