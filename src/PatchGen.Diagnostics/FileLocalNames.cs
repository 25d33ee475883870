using System;
using System.Text;

namespace PatchGen.Diagnostics;

/// <summary>
/// The metadata names of <c>file</c>-scoped types. Roslyn names <c>file class Helper</c> in
/// <c>Cart.cs</c> <c>&lt;Cart&gt;F{checksum}__Helper</c>: the source file's name (without extension,
/// other characters than letters, digits and '_' made '_'), 'F', the SHA-256 of the file's path in
/// 64 hex digits, two underscores and the type's name. They look compiler-generated (a leading
/// '&lt;') but are user types. The checksum changes with the path the file was compiled from (a
/// fix built in another folder), so two builds match them without it, by file name and type
/// name; their documentation IDs name the type alone (<c>T:Cases.Helper</c>), as Roslyn's do.
/// Here, beside the catalogue, because every stage names types: the model and the analyzer, the
/// diff engine, the type-reference walker, the emitter and the runtime's documentation IDs.
/// </summary>
public static class FileLocalNames
{
    private const int ChecksumLength = 64;
    private const string Separator = "__";

    /// <summary>Whether <paramref name="name"/> (a type's own name) is a file-local type's.</summary>
    public static bool IsFileLocal(string name) => ChecksumAt(name, 0) >= 0;

    /// <summary><c>&lt;Cart&gt;F{checksum}__Helper</c> reads <c>Helper</c>; any other name is returned as is.</summary>
    public static string UserName(string name)
    {
        int checksum = ChecksumAt(name, 0);
        return checksum < 0 ? name : name.Substring(checksum + ChecksumLength + Separator.Length);
    }

    /// <summary>
    /// A name (a type's own, or a full name with namespace and enclosing types) with the checksum of
    /// every file-local type in it removed: <c>Cases.&lt;Cart&gt;F__Helper/Inner</c>.
    /// </summary>
    public static string Stable(string name)
    {
        int open = name.IndexOf('<');
        if (open < 0 || name.Length < ChecksumLength + 5)
            return name;
        StringBuilder? builder = null;
        int copied = 0;
        for (; open >= 0; open = name.IndexOf('<', open + 1))
        {
            // Only at the start of a name: after a namespace dot or nesting separator.
            if (open > 0 && name[open - 1] != '.' && name[open - 1] != '/' && name[open - 1] != '+')
                continue;
            int checksum = ChecksumAt(name, open);
            if (checksum < 0)
                continue;
            builder ??= new StringBuilder(name.Length);
            builder.Append(name, copied, checksum - copied);
            copied = checksum + ChecksumLength;
        }
        return builder is null ? name : builder.Append(name, copied, name.Length - copied).ToString();
    }

    /// <summary>Where the checksum of a file-local type name starting at <paramref name="start"/> is, or -1.</summary>
    private static int ChecksumAt(string name, int start)
    {
        if (start >= name.Length || name[start] != '<')
            return -1;
        int close = name.IndexOf('>', start + 1);
        if (close <= start + 1 || close + 2 + ChecksumLength + Separator.Length >= name.Length || name[close + 1] != 'F')
            return -1;
        for (int i = start + 1; i < close; i++)
        {
            char c = name[i];
            if (!(char.IsLetterOrDigit(c) || c == '_'))
                return -1;
        }
        int checksum = close + 2;
        for (int i = checksum; i < checksum + ChecksumLength; i++)
        {
            char c = name[i];
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
                return -1;
        }
        return string.CompareOrdinal(name, checksum + ChecksumLength, Separator, 0, Separator.Length) == 0 ? checksum : -1;
    }
}
