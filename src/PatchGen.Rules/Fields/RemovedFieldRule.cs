using PatchGen.Baseline;

namespace PatchGen.Rules.Fields;

/// <summary>
/// The extended model's "removed field no longer used" (PG3009 instead of PG2002): the fix's code
/// cannot use a field v2 does not have, and every method of v1 that used it and is still in v2 has
/// another body, so the patch replaces it; the live field stays and nothing patched touches it. Only
/// where a field nobody uses is harmless: a class (a struct's fields are copied, compared and passed
/// to native code as a whole) with automatic layout in both builds (sequential or explicit layout
/// says something outside the code depends on the fields), that no serializer enumerates in either
/// build where known (<see cref="FieldSerializers"/>: it would go on writing the stale value).
/// See docs/diff-rules.md#the-extended-model.
/// </summary>
internal static class RemovedFieldRule
{
    private const string Class = "class";
    private const string AutoLayout = "auto";

    /// <param name="b">The type in the base build.</param>
    /// <param name="n">The type in the new build.</param>
    public static bool MayStay(BaselineType b, BaselineType n)
        => b.Kind == Class && n.Kind == Class
            && b.LayoutKind == AutoLayout && n.LayoutKind == AutoLayout
            && b.SerializesFields != true && n.SerializesFields != true;
}
