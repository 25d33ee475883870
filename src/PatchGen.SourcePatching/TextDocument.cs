using System.Text;

namespace PatchGen.SourcePatching;

/// <summary>
/// A text file held as lines, each with its own terminator, so that writing it back reproduces
/// every byte the patch did not touch: mixed line ends, a missing final newline and a UTF-8 byte
/// order mark (kept as the first character of line 1, as diffs show it) all survive.
/// </summary>
internal sealed class TextDocument
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private TextDocument(List<SourceLine> lines, string defaultEol)
    {
        Lines = lines;
        DefaultEol = defaultEol;
    }

    public List<SourceLine> Lines { get; }

    /// <summary>The file's first line terminator: what added lines get when the diff's own line ends cannot be trusted.</summary>
    public string DefaultEol { get; }

    public static TextDocument Empty() => new(new List<SourceLine>(), "\n");

    /// <summary>Decodes UTF-8 (strictly: a byte that is not UTF-8 would not survive the round trip).</summary>
    public static TextDocument Parse(byte[] bytes)
    {
        string text = StrictUtf8.GetString(bytes);
        var lines = new List<SourceLine>();
        int start = 0;
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
        return new TextDocument(lines, eol);
    }

    public byte[] ToBytes()
    {
        var builder = new StringBuilder();
        foreach (var line in Lines)
            builder.Append(line.Text).Append(line.Eol);
        return StrictUtf8.GetBytes(builder.ToString());
    }
}
