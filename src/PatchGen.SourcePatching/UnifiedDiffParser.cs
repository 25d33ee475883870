using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PatchGen.Diagnostics;

namespace PatchGen.SourcePatching;

/// <summary>
/// Reads the unified diff formats that <c>git diff</c>, <c>git format-patch</c> and <c>diff -u</c>
/// (also <c>-r</c>, <c>-N</c>) write. Hunks are read by their line counts, as <c>patch</c> does, so
/// that a removed line starting with "--" is never mistaken for a file header. Text around file
/// patches (a commit message, <c>Only in</c> lines) is ignored, like <c>patch</c> ignores it.
/// </summary>
internal sealed partial class UnifiedDiffParser
{
    private readonly string _source;
    private readonly int _strip;
    private readonly List<string> _lines = new();
    private readonly List<bool> _crlf = new();
    private int _index;

    private UnifiedDiffParser(string text, string source, int strip)
    {
        _source = source;
        _strip = strip;
        int start = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
            start = 1;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            string line = end < 0 ? text[start..] : text[start..end];
            bool crlf = line.EndsWith('\r');
            _lines.Add(crlf ? line[..^1] : line);
            _crlf.Add(crlf);
            start = end < 0 ? text.Length : end + 1;
        }
    }

    public static IReadOnlyList<FilePatch> Parse(string text, string source, int strip)
    {
        if (strip < 0)
            throw new ArgumentOutOfRangeException(nameof(strip), strip, "cannot strip a negative number of path components");
        var files = new UnifiedDiffParser(text, source, strip).ParseFiles();
        if (files.Count == 0)
            throw SourcePatchError.Create(source, "the patch contains no file changes (no '--- '/'+++ ' headers or git headers)", source);
        return files;
    }

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.\d+)?(?: ([+-]\d\d)(\d\d))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    private List<FilePatch> ParseFiles()
    {
        var files = new List<FilePatch>();
        GitHeader? git = null;
        while (_index < _lines.Count)
        {
            string line = _lines[_index];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                Flush(git, files);
                git = new GitHeader(_index + 1, line["diff --git ".Length..]);
                _index++;
                continue;
            }
            if (git is not null && git.Extend(line))
            {
                _index++;
                continue;
            }
            if (line.StartsWith("Binary files ", StringComparison.Ordinal) || line == "GIT binary patch")
                throw Error(_index + 1, "binary patches are not supported");
            if (line.StartsWith("--- ", StringComparison.Ordinal) && _index + 1 < _lines.Count && _lines[_index + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                files.Add(ParseFile(git));
                git = null;
                continue;
            }
            if (line.StartsWith("@@ ", StringComparison.Ordinal))
                throw Error(_index + 1, "hunk header without a '--- '/'+++ ' file header before it");

            // A git header that got neither extended lines nor file headers is over (mode-only
            // changes end this way); anything else is commentary.
            Flush(git, files);
            git = null;
            _index++;
        }
        Flush(git, files);
        return files;
    }

    /// <summary>A git header with no <c>---</c>/<c>+++</c> lines: an empty file added or deleted, a pure rename, or a mode change.</summary>
    private void Flush(GitHeader? git, List<FilePatch> files)
    {
        if (git is null)
            return;
        if (git.IsCopy)
            throw Error(git.Line, "git copies are not supported");
        var empty = Array.Empty<DiffHunk>();
        if (git.IsRename)
        {
            files.Add(new FilePatch(git.Line, FilePatchKind.Renamed, CleanPath(git.RenameFrom!, 0, git.Line), CleanPath(git.RenameTo!, 0, git.Line), empty));
            return;
        }
        if (!git.IsNewFile && !git.IsDeletedFile)
            return; // a mode change only: the content, which is all a build sees, is unchanged
        var path = git.SamePath(_strip) ?? throw Error(git.Line, "cannot tell the file name from the 'diff --git' line");
        var clean = CleanPath(path, _strip, git.Line);
        files.Add(git.IsNewFile
            ? new FilePatch(git.Line, FilePatchKind.Added, null, clean, empty)
            : new FilePatch(git.Line, FilePatchKind.Deleted, clean, null, empty));
    }

    private FilePatch ParseFile(GitHeader? git)
    {
        int fileLine = git?.Line ?? _index + 1;
        string? oldPath = HeaderPath(_index);
        string? newPath = HeaderPath(_index + 1);
        _index += 2;

        var hunks = new List<DiffHunk>();
        while (_index < _lines.Count && _lines[_index].StartsWith("@@", StringComparison.Ordinal))
        {
            var hunk = ParseHunk(hunks.Count + 1);
            if (hunks.Count > 0 && hunk.OldStart < hunks[^1].OldStart + hunks[^1].OldCount)
                throw Error(hunk.PatchLine, $"hunk #{hunk.Number} overlaps or precedes the hunk before it");
            hunks.Add(hunk);
        }
        if (hunks.Count == 0)
            throw Error(fileLine, "file header without any hunk");

        FilePatchKind kind;
        if (git is { IsRename: true })
        {
            kind = FilePatchKind.Renamed;
            oldPath = CleanPath(git.RenameFrom!, 0, fileLine);
            newPath = CleanPath(git.RenameTo!, 0, fileLine);
        }
        else if (oldPath is null && newPath is null)
        {
            throw Error(fileLine, "both sides of the file header are /dev/null");
        }
        else if (oldPath is null || git is { IsNewFile: true })
        {
            kind = FilePatchKind.Added;
            oldPath = null;
        }
        else if (newPath is null || git is { IsDeletedFile: true })
        {
            kind = FilePatchKind.Deleted;
            newPath = null;
        }
        else
        {
            kind = FilePatchKind.Modified;
        }
        if (oldPath is not null && kind != FilePatchKind.Renamed)
            oldPath = CleanPath(oldPath, _strip, fileLine);
        if (newPath is not null && kind != FilePatchKind.Renamed)
            newPath = CleanPath(newPath, _strip, fileLine);

        if (kind == FilePatchKind.Added && hunks.Any(h => h.Lines.Any(l => l.InOld)))
            throw Error(fileLine, $"{newPath}: a new file's hunks cannot have context or removed lines");
        if (kind == FilePatchKind.Deleted && hunks.Any(h => h.Lines.Any(l => l.InNew)))
            throw Error(fileLine, $"{oldPath}: a deleted file's hunks cannot have context or added lines");

        return new FilePatch(fileLine, kind, oldPath, newPath, hunks);
    }

    private DiffHunk ParseHunk(int number)
    {
        int headerLine = _index + 1;
        var match = HunkHeader().Match(_lines[_index]);
        if (!match.Success)
            throw Error(headerLine, $"malformed hunk header '{Shorten(_lines[_index])}'");
        int oldStart = Number(match.Groups[1], headerLine);
        int oldCount = match.Groups[2].Success ? Number(match.Groups[2], headerLine) : 1;
        int newStart = Number(match.Groups[3], headerLine);
        int newCount = match.Groups[4].Success ? Number(match.Groups[4], headerLine) : 1;
        string section = match.Groups[5].Value.Trim();
        _index++;

        var lines = new List<DiffLine>(oldCount + newCount);
        int oldLeft = oldCount, newLeft = newCount;
        bool oldNoNewline = false, newNoNewline = false;
        while (oldLeft > 0 || newLeft > 0 || (_index < _lines.Count && _lines[_index].StartsWith('\\')))
        {
            if (_index >= _lines.Count)
                throw EndsEarly();
            string text = _lines[_index];
            char marker = text.Length == 0 ? ' ' : text[0];
            string content = text.Length == 0 ? "" : text[1..];
            switch (marker)
            {
                // An empty line stands for an empty context line whose leading space an editor or
                // mail client trimmed; patch accepts it, and so do we.
                case ' ' when oldLeft > 0 && newLeft > 0:
                    CheckNotAfterMarker(oldNoNewline || newNoNewline);
                    lines.Add(new DiffLine(DiffLineKind.Context, content, _crlf[_index]));
                    oldLeft--;
                    newLeft--;
                    break;
                case '-' when oldLeft > 0:
                    CheckNotAfterMarker(oldNoNewline);
                    lines.Add(new DiffLine(DiffLineKind.Removed, content, _crlf[_index]));
                    oldLeft--;
                    break;
                case '+' when newLeft > 0:
                    CheckNotAfterMarker(newNoNewline);
                    lines.Add(new DiffLine(DiffLineKind.Added, content, _crlf[_index]));
                    newLeft--;
                    break;
                case '\\':
                    if (lines.Count == 0)
                        throw Error(_index + 1, "'\\ No newline at end of file' before any line of the hunk");
                    switch (lines[^1].Kind)
                    {
                        case DiffLineKind.Context:
                            oldNoNewline = newNoNewline = true;
                            break;
                        case DiffLineKind.Removed:
                            oldNoNewline = true;
                            break;
                        default:
                            newNoNewline = true;
                            break;
                    }
                    break;
                default:
                    throw EndsEarly();
            }
            _index++;
        }
        return new DiffHunk(number, headerLine, oldStart, oldCount, newStart, newCount, section, lines, oldNoNewline, newNoNewline);

        PatchGenException EndsEarly()
            => Error(_index + 1 > _lines.Count ? headerLine : _index + 1,
                $"hunk #{number} ({_lines[headerLine - 1]}) ends early: {oldLeft} more base line(s) and {newLeft} more new line(s) expected");

        void CheckNotAfterMarker(bool marked)
        {
            if (marked)
                throw Error(_index + 1, "a line follows '\\ No newline at end of file' on the same side of the hunk");
        }
    }

    /// <summary>The path of a <c>---</c>/<c>+++</c> line, or null for <c>/dev/null</c> and for <c>diff -N</c>'s epoch-dated empty side.</summary>
    private string? HeaderPath(int index)
    {
        string rest = _lines[index][4..];
        string path;
        string trailer;
        if (rest.StartsWith('"'))
        {
            (path, int end) = Unquote(rest, index + 1);
            trailer = rest[end..].TrimStart('\t', ' ');
        }
        else
        {
            int tab = rest.IndexOf('\t');
            path = (tab < 0 ? rest : rest[..tab]).TrimEnd();
            trailer = tab < 0 ? "" : rest[(tab + 1)..].Trim();
        }
        if (path == "/dev/null" || IsEpoch(trailer))
            return null;
        if (path.Length == 0)
            throw Error(index + 1, "file header without a path");
        return path;
    }

    private static bool IsEpoch(string timestamp)
    {
        var match = Timestamp().Match(timestamp);
        if (!match.Success || !DateTime.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var local))
            return false;
        if (match.Groups[2].Success)
        {
            int hours = int.Parse(match.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            int minutes = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) * Math.Sign(hours == 0 ? 1 : hours);
            local -= new TimeSpan(hours, minutes, 0);
        }
        return local == DateTime.UnixEpoch;
    }

    /// <summary>Decodes git's C-style quoting (<c>"a/caf\303\251.cs"</c>); returns the path and the index after the closing quote.</summary>
    private (string Path, int End) Unquote(string text, int patchLine)
    {
        var bytes = new List<byte>();
        int i = 1;
        while (i < text.Length && text[i] != '"')
        {
            char c = text[i];
            if (c != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                i++;
                continue;
            }
            if (i + 1 >= text.Length)
                break;
            char e = text[i + 1];
            if (e is >= '0' and <= '7' && i + 3 < text.Length)
            {
                bytes.Add((byte)Convert.ToInt32(text.Substring(i + 1, 3), 8));
                i += 4;
                continue;
            }
            bytes.Add((byte)(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'a' => '\a', 'b' => '\b', 'f' => '\f', 'v' => '\v', _ => e }));
            i += 2;
        }
        if (i >= text.Length)
            throw Error(patchLine, "unterminated quoted path");
        return (Encoding.UTF8.GetString(bytes.ToArray()), i + 1);
    }

    /// <summary>Strips <paramref name="strip"/> leading components and refuses paths that could leave the tree.</summary>
    private string CleanPath(string path, int strip, int patchLine)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count <= strip)
            throw Error(patchLine, $"cannot strip {strip} leading component(s) from '{path}'");
        parts.RemoveRange(0, strip);
        parts.RemoveAll(p => p == ".");
        if (parts.Count == 0 || parts.Contains("..") || (strip == 0 && path.StartsWith('/')) || parts[0].Contains(':'))
            throw Error(patchLine, $"'{path}' is not a relative path inside the tree");
        return string.Join('/', parts);
    }

    private int Number(Group group, int patchLine)
        => int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw Error(patchLine, $"line number '{group.Value}' is out of range");

    internal static string Shorten(string text) => text.Length <= 100 ? text : text[..97] + "...";

    private PatchGenException Error(int line, string detail)
        => SourcePatchError.Create(_source, $"line {line}: {detail}", _source, line);
}
