using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Texts;

namespace PatchGen.Rules.Fields;

/// <summary>
/// PG2005 for fields: the value of a const (a <c>const decimal</c> included) or an enum member
/// changed. Constants are copied into every caller, which keep the old value. Two values that read
/// the same (1 and 1L), or whose types changed, are written with their types.
/// </summary>
internal static class ConstantRule
{
    /// <param name="baseType">The field's type in the base build (an enum member compares by value, see <see cref="SameEnumValue"/>).</param>
    public static bool Check(RuleContext context, BaselineType baseType, BaselineField b, BaselineField n)
    {
        bool literals = b.HasFlag("literal") && n.HasFlag("literal");
        bool decimals = b.HasFlag("decimalconst") && n.HasFlag("decimalconst");
        if (!(literals || decimals) || b.Constant.Length == 0 || n.Constant.Length == 0 || b.Constant == n.Constant || SameEnumValue(baseType, b, n))
            return false;
        var (was, now) = (b.ConstantDisplay, n.ConstantDisplay);
        bool typeChanged = context.Differ(b.Type, n.Type);
        if (typeChanged || was == now)
        {
            var (wasType, nowType) = typeChanged ? SignatureTexts.OfTypes(b, n) : (b.TypeText(TextStyle.CSharp), n.TypeText(TextStyle.CSharp));
            (was, now) = ($"{was} ({wasType})", $"{now} ({nowType})");
        }
        return context.Report(DiagnosticCatalog.ConstantChanged, n.ReportedId, FindingSite.ConstantValue(n), n.DisplayName, was, now);
    }

    /// <summary>
    /// An enum member keeps its value when only the enum's underlying type changed (Low = 1 as a byte,
    /// then as an int): that is the enum's shape change (PG1004), not "Low changed from 1 to 1".
    /// </summary>
    private static bool SameEnumValue(BaselineType baseType, BaselineField b, BaselineField n)
        => baseType.Kind == "enum" && b.NumericConstant is decimal x && n.NumericConstant is decimal y && x == y;
}
