using System.Globalization;
using System.Text;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// Constants as golden text: strings quoted and escaped so that one instruction stays one line,
/// numbers in the invariant culture so that the text does not depend on the machine's locale.
/// </summary>
public static class LiteralText
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                // Anything else outside printable ASCII: an escape reads the same in every editor and diff.
                < ' ' or > '~' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>A number, bool or char constant; anything else as its invariant string.</summary>
    public static string Of(object value) => value switch
    {
        string s => Quote(s),
        bool b => b ? "true" : "false",
        char c => "'" + Quote(c.ToString())[1..^1] + "'",
        // "R" keeps every bit of a floating constant (the shortest text that reads back the same).
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
