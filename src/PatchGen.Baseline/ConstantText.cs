using System;
using System.Globalization;
using System.Text;

namespace PatchGen.Baseline;

/// <summary>
/// Typed constants as exact, comparable text (<c>Int32:42</c>, <c>Double:3FF0000000000000</c>,
/// <c>String:"a\tb"</c>, <c>Null</c>) and as C# prints them (<c>42</c>, <c>"a"</c>) for messages.
/// 1 and 1L differ, as do 0.0 and -0.0, and 1.0m and 1.00m (what the diff engine compares).
/// </summary>
internal static class ConstantText
{
    public const string Null = "Null";

    public static string Of(object? value)
    {
        switch (value)
        {
            case null: return Null;
            case bool b: return "Boolean:" + (b ? "true" : "false");
            case char c: return "Char:" + ((int)c).ToString(CultureInfo.InvariantCulture);
            case sbyte v: return "SByte:" + v.ToString(CultureInfo.InvariantCulture);
            case byte v: return "Byte:" + v.ToString(CultureInfo.InvariantCulture);
            case short v: return "Int16:" + v.ToString(CultureInfo.InvariantCulture);
            case ushort v: return "UInt16:" + v.ToString(CultureInfo.InvariantCulture);
            case int v: return "Int32:" + v.ToString(CultureInfo.InvariantCulture);
            case uint v: return "UInt32:" + v.ToString(CultureInfo.InvariantCulture);
            case long v: return "Int64:" + v.ToString(CultureInfo.InvariantCulture);
            case ulong v: return "UInt64:" + v.ToString(CultureInfo.InvariantCulture);
            case float f: return "Single:" + BitConverter.ToInt32(BitConverter.GetBytes(f), 0).ToString("X8", CultureInfo.InvariantCulture);
            case double d: return "Double:" + BitConverter.DoubleToInt64Bits(d).ToString("X16", CultureInfo.InvariantCulture);
            case decimal m: return "Decimal:" + m.ToString(CultureInfo.InvariantCulture);
            case string s: return "String:" + Quote(s);
            default: return value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>As C# prints a constant (the diff engine's MetadataText.Constant).</summary>
    public static string Display(object? value)
    {
        switch (value)
        {
            case null: return "null";
            case string s: return "\"" + s + "\"";
            case char c: return "'" + c + "'";
            case bool b: return b ? "true" : "false";
            case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
            default: return value.ToString() ?? "";
        }
    }

    /// <summary>
    /// The numeric value of an integral constant text, for enum members whose enum only changed
    /// its underlying type (Low = 1 as a byte, then as an int: the same value).
    /// </summary>
    public static decimal? Numeric(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0)
            return null;
        switch (text.Substring(0, colon))
        {
            case "SByte": case "Byte": case "Int16": case "UInt16": case "Int32": case "UInt32": case "Int64": case "UInt64": case "Char":
                return decimal.TryParse(text.Substring(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : (decimal?)null;
            case "Boolean":
                return text.EndsWith("true", StringComparison.Ordinal) ? 1 : 0;
            default:
                return null;
        }
    }

    private static string Quote(string s)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c == '"' || c == '\\')
                builder.Append('\\').Append(c);
            else if (c < ' ' || c > '~')
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
