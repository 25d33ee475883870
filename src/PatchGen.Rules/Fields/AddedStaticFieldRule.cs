using PatchGen.Baseline;

namespace PatchGen.Rules.Fields;

/// <summary>
/// The extended model's "static field added to an existing type" (PG3011 instead of PG2001): the
/// field becomes a static field of the patch's holder for the type, every reference in patched code
/// points there, and its initializer (from v2's static constructor) runs in the holder's static
/// constructor. Decided in two halves, as <see cref="Methods.SignatureHelperRule"/> is: what the shape
/// says here (a static field that stores a value, not <c>[ThreadStatic]</c>, of a type that is not
/// generic nor nested in one: the holder has no per-instantiation storage), and what only the host
/// sees (<see cref="Findings.IFindingSink.OnlyPatchedCodeUses"/>: RVA data, layout or marshalling,
/// its name in a string). Whether its initializer can move is the static constructor's comparison
/// (the diff engine's IL, the analyzer's source fingerprints): PG2004 if not.
/// See docs/diff-rules.md#the-extended-model.
/// </summary>
internal static class AddedStaticFieldRule
{
    public static bool MayMove(RuleContext context, BaselineType type, BaselineField field)
        => context.Extended && field.HasFlag("static") && !FieldRules.IsConstant(field) && !field.HasFlag("threadstatic")
            && !IsGeneric(type) && context.Sink.OnlyPatchedCodeUses(type, field);

    /// <summary>Generic itself, or nested in a generic type (whose documentation ID names the outer arity).</summary>
    public static bool IsGeneric(BaselineType type) => type.GenericParameters.Count > 0 || type.Id.IndexOf('`') >= 0;
}
