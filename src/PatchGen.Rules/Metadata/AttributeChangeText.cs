using System;
using System.Collections.Generic;
using System.Linq;

namespace PatchGen.Rules.Metadata;

/// <summary>
/// Says how two sets of attribute texts differ, for PG3002 messages: <c>arguments of Obsolete,
/// +Serializable, -Flags</c>. An attribute text is its type's full name and its argument blob,
/// <c>System.ObsoleteAttribute(0100...)</c>, prefixed <c>return:</c> or <c>param 1:</c> on a
/// return value or parameter.
/// </summary>
internal static class AttributeChangeText
{
    private const string AttributeSuffix = "Attribute";

    /// <returns>Null when the sets are equal.</returns>
    public static string? Describe(SortedSet<string> before, SortedSet<string> after)
    {
        if (before.SetEquals(after))
            return null;
        var added = after.Except(before).Select(ShortName).ToList();
        var removed = before.Except(after).Select(ShortName).ToList();
        // The same attribute on both sides with other arguments: "arguments of Obsolete", not "+Obsolete, -Obsolete".
        var changed = new HashSet<string>(added.Intersect(removed, StringComparer.Ordinal), StringComparer.Ordinal);
        var parts = new List<string>();
        parts.AddRange(changed.Select(a => "arguments of " + a));
        parts.AddRange(added.Where(a => !changed.Contains(a)).Select(a => "+" + a));
        parts.AddRange(removed.Where(a => !changed.Contains(a)).Select(a => "-" + a));
        return string.Join(", ", parts.Distinct());
    }

    /// <summary><c>return:System.ObsoleteAttribute(01...)</c> reads <c>return:Obsolete</c>.</summary>
    private static string ShortName(string attribute)
    {
        var prefix = "";
        int colon = attribute.IndexOf(':');
        int paren = attribute.IndexOf('(');
        if (colon >= 0 && colon < paren)
        {
            prefix = attribute.Substring(0, colon + 1);
            attribute = attribute.Substring(colon + 1);
            paren = attribute.IndexOf('(');
        }
        var name = attribute.Substring(0, paren);
        name = name.Substring(name.LastIndexOf('.') + 1);
        if (name.EndsWith(AttributeSuffix, StringComparison.Ordinal))
            name = name.Substring(0, name.Length - AttributeSuffix.Length);
        return prefix + name;
    }
}
