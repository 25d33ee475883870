using System.Text;

namespace PatchGen.SourcePatching;

/// <summary>
/// A text file held as lines, each with its own terminator, so that writing it back reproduces
/// every byte the patch did not touch: mixed line ends, a missing final newline and a UTF-8 byte
/// order mark all survive.
/// </summary>
internal sealed class TextDocument
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private TextDocument(List<SourceLine> lines, bool hasBom, string defaultEol)
    {
        Lines = lines;
        HasBom = hasBom;
        DefaultEol = defaultEol;
    }

    public List<SourceLine> Lines { get; }

    public bool HasBom { get; set; }

    /// <summary>The terminator given to added lines: the file's first one, so a CRLF file stays CRLF.</summary>
    public string DefaultEol { get; }

    public static TextDocument Empty(string eol) => new(new List<SourceLine>(), false, eol);

    /// <summary>Decodes UTF-8 (strictly: a byte that is not UTF-8 would not survive the round trip).</summary>
    public static TextDocument Parse(byte[] bytes)
    {
        string text = StrictUtf8.GetString(bytes);
        bool hasBom = text.Length > 0 && text[0] == '\uFEFF';
        var lines = new List<SourceLine>();
        int start = hasBom ? 1 : 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(new SourceLine(text[start..], ""));
                break;
            }
            bool crlf = end > start && text[end - 1] == '\r';
            lines.Add(new SourceLine(text[start..(crlf ? end - 1 : end)], crlf ? "\r\n" : "\n"));
            start = end + 1;
        }
        string eol = lines.Select(l => l.Eol).FirstOrDefault(e => e.Length > 0) ?? "\n";
        return new TextDocument(lines, hasBom, eol);
    }

    public byte[] ToBytes()
    {
        var builder = new StringBuilder();
        if (HasBom)
            builder.Append('\uFEFF');
        foreach (var line in Lines)
            builder.Append(line.Text).Append(line.Eol);
        return StrictUtf8.GetBytes(builder.ToString());
    }
}
