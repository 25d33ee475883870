using System.Collections.Generic;
using System.Globalization;
using PatchGen.Baseline;

namespace PatchGen.Rules.Types;

/// <summary>
/// A type whose generic arity changed is, by name, another type: <c>Box`1</c> became <c>Box`2</c>.
/// Both builds are searched for such a pair before a type is taken as removed or added.
/// </summary>
internal static class TypeArity
{
    /// <summary>
    /// The first type of <paramref name="others"/> (by metadata name) with the namespace, enclosing
    /// type and name of <paramref name="type"/> but another arity, provided <paramref name="others"/>
    /// does not have <paramref name="type"/> itself; or null.
    /// </summary>
    public static BaselineType? OtherArityOf(BaselineType type, SortedDictionary<string, BaselineType> others)
    {
        if (others.ContainsKey(type.MetadataName))
            return null;
        var name = WithoutArity(type.Name);
        foreach (var other in others.Values)
        {
            if (other.Namespace == type.Namespace && other.DeclaringTypeId == type.DeclaringTypeId
                && WithoutArity(other.Name) == name && other.Name != type.Name)
                return other;
        }
        return null;
    }

    /// <summary><c>Box`2</c> reads <c>Box</c>; a backquote not followed by a number is part of the name.</summary>
    public static string WithoutArity(string name)
    {
        int tick = name.LastIndexOf('`');
        return tick > 0 && int.TryParse(name.Substring(tick + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? name.Substring(0, tick) : name;
    }
}
