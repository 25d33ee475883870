using PatchGen.Baseline;

namespace PatchGen.Rules.Fields;

/// <summary>
/// The extended model's "instance field added to an existing type" (PG3012 instead of PG2001): patched
/// code keeps the field in a shadow variable of each object, and live objects keep their layout.
/// Decided in two halves, as <see cref="AddedStaticFieldRule"/> is: what the shape says here (an
/// instance field that stores a value, not volatile, not a fixed-size buffer nor a pointer, which a
/// box cannot hold; of a class where a field nobody else sees is harmless, as for a removed field,
/// <see cref="RemovedFieldRule"/>; not generic nor nested in a generic type, since the patch's helpers
/// are not generic), and what only the host sees (<see cref="Findings.IFindingSink.OnlyPatchedCodeUses"/>:
/// an explicit offset or marshalling, its name in a string of v2).
/// See docs/diff-rules.md#the-extended-model.
/// </summary>
internal static class AddedInstanceFieldRule
{
    /// <param name="b">The type in the base build.</param>
    /// <param name="n">The type in the new build, which declares <paramref name="field"/>.</param>
    public static bool MayShadow(RuleContext context, BaselineType b, BaselineType n, BaselineField field)
        => context.Extended && !field.HasFlag("static") && !FieldRules.IsConstant(field) && !field.HasFlag("volatile")
            && Boxable(field.Type) && RemovedFieldRule.MayStay(b, n) && !AddedStaticFieldRule.IsGeneric(n)
            && context.Sink.OnlyPatchedCodeUses(n, field);

    /// <summary>
    /// A type a <c>StrongBox&lt;T&gt;</c> can hold: not a fixed-size buffer, a pointer or a function
    /// pointer (written as nothing in documentation IDs), nor unknown (an edit in progress).
    /// </summary>
    private static bool Boxable(string type)
        => type.Length > 0 && !type.StartsWith("fixed ", System.StringComparison.Ordinal) && type.IndexOf('*') < 0
            && type.IndexOf('&') < 0 && type != SignatureText.FunctionPointer && !SignatureText.IsUnknown(type);
}
