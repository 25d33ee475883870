using System.Collections.Generic;

namespace PatchGen.Rules.Metadata;

/// <summary>
/// A change of MethodImpl flags as C# writes them, in the style of the attribute list of PG3002:
/// <c>+MethodImpl(NoInlining)</c>, <c>code type IL became Native</c>. The names are those of ECMA-335
/// II.23.1.11 as Mono.Cecil's <c>MethodImplAttributes</c> spells them (a test of the diff engine
/// checks that they still agree); the flags' own ToString would say "IL became NoInlining", IL
/// being the zero code type.
/// </summary>
internal static class MethodImplText
{
    private const int CodeTypeMask = 0x3;

    private static readonly string[] CodeTypes = { "IL", "Native", "OPTIL", "Runtime" };

    /// <summary>The single-bit flags other than the code type, in ascending order.</summary>
    internal static readonly KeyValuePair<int, string>[] Flags =
    {
        new KeyValuePair<int, string>(0x0004, "Unmanaged"),
        new KeyValuePair<int, string>(0x0008, "NoInlining"),
        new KeyValuePair<int, string>(0x0010, "ForwardRef"),
        new KeyValuePair<int, string>(0x0020, "Synchronized"),
        new KeyValuePair<int, string>(0x0040, "NoOptimization"),
        new KeyValuePair<int, string>(0x0080, "PreserveSig"),
        new KeyValuePair<int, string>(0x0100, "AggressiveInlining"),
        new KeyValuePair<int, string>(0x0200, "AggressiveOptimization"),
        new KeyValuePair<int, string>(0x1000, "InternalCall"),
    };

    public static string Change(int before, int after)
    {
        var parts = new List<string>();
        if ((before & CodeTypeMask) != (after & CodeTypeMask))
            parts.Add("code type " + CodeTypes[before & CodeTypeMask] + " became " + CodeTypes[after & CodeTypeMask]);
        foreach (var flag in Flags)
        {
            bool had = (before & flag.Key) != 0, has = (after & flag.Key) != 0;
            if (has && !had)
                parts.Add("+MethodImpl(" + flag.Value + ")");
            else if (had && !has)
                parts.Add("-MethodImpl(" + flag.Value + ")");
        }
        return string.Join(", ", parts);
    }

    /// <summary>The name of a code type (for the test that compares these names with Cecil's).</summary>
    internal static string CodeType(int flags) => CodeTypes[flags & CodeTypeMask];
}
