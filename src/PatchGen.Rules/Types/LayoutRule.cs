using System;
using System.Collections.Generic;
using System.Linq;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Types;

/// <summary>
/// PG2006: StructLayout kind, pack or size, or an <c>[InlineArray]</c> length (the struct's size in
/// units of its field) changed, or, for sequential and explicit layout, the
/// order of the instance fields both builds have, or an explicit field offset. Live objects and
/// native code depend on the layout. (The field order of an auto-layout type is the runtime's
/// business, not the type's shape.)
/// </summary>
internal static class LayoutRule
{
    private const string Static = "static";

    public static bool Check(RuleContext context, BaselineType b, BaselineType n)
        => b.Kind != "interface" && Changes(b, n) is { } changes
            && context.Report(DiagnosticCatalog.LayoutChanged, n.Id, FindingSite.Type(Side.New, n), n.DisplayName, changes);

    private static string? Changes(BaselineType b, BaselineType n)
    {
        var parts = new List<string>();
        if (b.LayoutKind != n.LayoutKind)
            parts.Add($"layout kind {b.LayoutKind} became {n.LayoutKind}");
        if (b.Pack != n.Pack)
            parts.Add($"pack {b.Pack} became {n.Pack}");
        if (b.Size != n.Size)
            parts.Add($"size {b.Size} became {n.Size}");
        if (b.InlineArrayLength != n.InlineArrayLength)
            parts.Add($"inline array length {OrNone(b.InlineArrayLength)} became {OrNone(n.InlineArrayLength)}");
        if (n.LayoutKind != "auto" && b.LayoutKind == n.LayoutKind)
        {
            if (FieldOrderChanged(b, n))
                parts.Add("field order changed");
            if (n.LayoutKind == "explicit")
                parts.AddRange(MovedFields(b, n));
        }
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string OrNone(int length) => length == 0 ? "none" : length.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool FieldOrderChanged(BaselineType b, BaselineType n)
    {
        var newNames = new HashSet<string>(InstanceFields(n).Select(f => f.Name), StringComparer.Ordinal);
        var baseNames = new HashSet<string>(InstanceFields(b).Select(f => f.Name), StringComparer.Ordinal);
        var baseOrder = InstanceFields(b).Where(f => newNames.Contains(f.Name)).Select(f => f.Name);
        var newOrder = InstanceFields(n).Where(f => baseNames.Contains(f.Name)).Select(f => f.Name);
        return !baseOrder.SequenceEqual(newOrder, StringComparer.Ordinal);
    }

    private static IEnumerable<string> MovedFields(BaselineType b, BaselineType n)
    {
        foreach (var field in InstanceFields(n))
        {
            var old = InstanceFields(b).FirstOrDefault(f => f.Name == field.Name);
            if (old != null && old.Offset != field.Offset)
                yield return $"field {field.Name} moved from offset {old.Offset} to {field.Offset}";
        }
    }

    private static IEnumerable<BaselineField> InstanceFields(BaselineType type) => type.Fields.Where(f => !f.HasFlag(Static));
}
