using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Hashes a closure text as it was written: the whole closure (which decides "body changed" and is
/// the manifest's body hash), and each section with its generated IDs renumbered from the tokens
/// recorded where they were written.
/// </summary>
internal sealed class ClosureHasher
{
    private readonly StringBuilder _sectionText = new();
    private readonly Dictionary<int, int> _localIds = new();

    /// <summary>SHA-256 of lines [from, to), each followed by '\n', in UTF-8: exactly the text there.</summary>
    public static byte[] Hash(ClosureTextWriter text, int fromLine, int toLine)
    {
        int start = text.LineStart(fromLine);
        return Hash(text.Text, start, text.LineStart(toLine) - start);
    }

    /// <summary>
    /// The hash of one section, lines [from, to), with the canonical IDs (<c>#12</c>) renumbered by
    /// first appearance within the section. Global IDs follow the order of first reference in the
    /// whole closure, so a new lambda referenced ahead of an existing one would renumber it and every
    /// section that names it; section hashes are used to find base lambdas unchanged in the new build
    /// (PG3006), and that must not depend on what else the closure references first.
    /// </summary>
    public byte[] SectionHash(ClosureTextWriter text, int fromLine, int toLine)
    {
        int start = text.LineStart(fromLine), end = text.LineStart(toLine);
        var section = _sectionText.Clear();
        _localIds.Clear();
        int copied = start;
        foreach (var token in text.Tokens(fromLine, toLine))
        {
            if (token.Kind != ClosureTokenKind.GeneratedId)
                continue;
            section.Append(text.Text, copied, token.Start - copied);
            if (!_localIds.TryGetValue(token.Number, out int local))
            {
                local = _localIds.Count + 1;
                _localIds.Add(token.Number, local);
            }
            section.Append('#').Append(local.ToString(CultureInfo.InvariantCulture));
            copied = token.End;
        }
        section.Append(text.Text, copied, end - copied);
        return Hash(section, 0, section.Length);
    }

    private static byte[] Hash(StringBuilder text, int start, int length)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        try
        {
            text.CopyTo(start, chars, 0, length);
            int count = Encoding.UTF8.GetBytes(chars, 0, length, bytes, 0);
            return SHA256.HashData(bytes.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
