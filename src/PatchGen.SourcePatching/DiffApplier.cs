using System.Text;
using PatchGen.Diagnostics;

namespace PatchGen.SourcePatching;

/// <summary>
/// Applies a parsed diff to a folder in two phases: every file patch is applied to an in-memory
/// copy first, and only when all hunks of all files have applied are files written (each through
/// a temporary file and a rename). A diff that does not apply therefore leaves the tree untouched.
/// </summary>
internal sealed class DiffApplier
{
    private readonly UnifiedDiff _diff;
    private readonly string _root;

    // Relative path -> current content; null once deleted or when the file does not exist.
    private readonly Dictionary<string, TextDocument?> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _original = new(StringComparer.Ordinal);

    public DiffApplier(UnifiedDiff diff, string root)
    {
        _diff = diff;
        _root = Path.GetFullPath(root);
    }

    public DiffApplication Apply()
    {
        if (!Directory.Exists(_root))
            throw Fail(null, $"the folder '{_root}' to apply the patch to does not exist");

        var applied = new List<AppliedFile>();
        foreach (var file in _diff.Files)
            applied.Add(ApplyFile(file));
        Commit();
        return new DiffApplication(_root, applied);
    }

    private AppliedFile ApplyFile(FilePatch file)
    {
        switch (file.Kind)
        {
            case FilePatchKind.Added:
            {
                string path = file.NewPath!;
                if (Load(path, file) is not null)
                    throw Fail(file, $"{path}: the patch creates this file, but it already exists");
                var document = TextDocument.Empty();
                var offsets = ApplyHunks(document, file, path);
                _state[path] = document;
                return new AppliedFile(path, file.Kind, offsets);
            }
            case FilePatchKind.Deleted:
            {
                string path = file.OldPath!;
                var document = Load(path, file) ?? throw Fail(file, $"{path}: the patch deletes this file, but it does not exist");
                var offsets = ApplyHunks(document, file, path);
                if (document.Lines.Count != 0)
                    throw Fail(file, $"{path}: the patch deletes this file, but the file has {document.Lines.Count} line(s) the patch does not list");
                _state[path] = null;
                return new AppliedFile(path, file.Kind, offsets);
            }
            case FilePatchKind.Renamed:
            {
                string from = file.OldPath!, to = file.NewPath!;
                var document = Load(from, file) ?? throw Fail(file, $"{from}: the patch renames this file, but it does not exist");
                if (!string.Equals(from, to, StringComparison.Ordinal) && Load(to, file) is not null)
                    throw Fail(file, $"{to}: the patch renames '{from}' to this file, but it already exists");
                var offsets = ApplyHunks(document, file, from);
                _state[from] = null;
                _state[to] = document;
                return new AppliedFile(to, file.Kind, offsets);
            }
            default:
            {
                // diff -u of differently named files ("Foo.cs.orig" and "Foo.cs"): patch edits the one that exists.
                string path = file.NewPath!;
                if (!string.Equals(file.OldPath, path, StringComparison.Ordinal) && Load(path, file) is null)
                    path = file.OldPath!;
                var document = Load(path, file) ?? throw Fail(file, $"{path}: the patch edits this file, but it does not exist");
                var offsets = ApplyHunks(document, file, path);
                return new AppliedFile(path, file.Kind, offsets);
            }
        }
    }

    private List<int> ApplyHunks(TextDocument document, FilePatch file, string path)
    {
        var offsets = new List<int>(file.Hunks.Count);
        int delta = 0;      // lines added minus lines removed by the hunks applied so far
        int lastOffset = 0; // where the previous hunk was found, relative to its stated line; a good guess for the next
        int floor = 0;      // hunks apply in order and never overlap: nothing before here may match again
        bool? faithful = null;
        foreach (var hunk in file.Hunks)
        {
            var old = hunk.Lines.Where(l => l.InOld).Select(l => l.Text).ToList();
            int stated = (old.Count == 0 ? hunk.OldStart : hunk.OldStart - 1) + delta;
            int position = Find(document, hunk, old, stated + lastOffset, floor);
            if (position < 0)
                throw Fail(file, $"hunk #{hunk.Number} ({hunk.Header}, patch line {hunk.PatchLine}) does not apply to {path}: {WhyNot(document, hunk, old, Math.Max(0, stated))}", hunk.PatchLine);

            // Line ends of added lines: the diff's own when its base lines end like the file's (so a
            // diff of a mixed-line-end file reproduces it exactly), else the file's (the diff went
            // through a checkout or an editor that converted them).
            faithful = EndsAgree(document, hunk, position) ?? faithful;
            var replacement = Replacement(document, hunk, position, faithful ?? true);
            bool? firstLineBom = position == 0 && old.Count > 0 && document.Lines.Count > 0 ? StartsWithBom(document.Lines[0].Text) : null;
            document.Lines.RemoveRange(position, old.Count);
            document.Lines.InsertRange(position, replacement);
            if (firstLineBom is bool bom && StartsWithBom(hunk.Lines.First(l => l.InOld).Text) != bom && document.Lines.Count > 0)
            {
                // The diff was made from a copy that differs from the file only by the byte order
                // mark (an editor added or dropped it): line 1 keeps the file's choice.
                string first = WithoutBom(document.Lines[0].Text);
                document.Lines[0] = document.Lines[0] with { Text = bom ? '\uFEFF' + first : first };
            }

            lastOffset = position - stated;
            offsets.Add(lastOffset);
            delta += replacement.Count - old.Count;
            floor = position + replacement.Count;
        }
        return offsets;
    }

    /// <summary>The nearest position at or after <paramref name="floor"/> where the hunk's base lines are; -1 if none.</summary>
    private static int Find(TextDocument document, DiffHunk hunk, List<string> old, int guess, int floor)
    {
        int last = document.Lines.Count - old.Count;
        if (last < floor)
            return -1;
        if (old.Count == 0)
        {
            // Without base lines there is nothing to search for: the stated line it is.
            int at = guess;
            return at >= floor && at <= last && Matches(document, hunk, old, at) ? at : -1;
        }
        guess = Math.Clamp(guess, floor, last);
        for (int distance = 0; guess - distance >= floor || guess + distance <= last; distance++)
        {
            if (guess + distance <= last && Matches(document, hunk, old, guess + distance))
                return guess + distance;
            if (distance > 0 && guess - distance >= floor && Matches(document, hunk, old, guess - distance))
                return guess - distance;
        }
        return -1;
    }

    private static bool Matches(TextDocument document, DiffHunk hunk, List<string> old, int position)
    {
        for (int i = 0; i < old.Count; i++)
        {
            if (!SameText(document.Lines[position + i].Text, old[i]))
                return false;
        }
        bool atEnd = position + old.Count == document.Lines.Count;
        bool fileLacksNewline = document.Lines.Count > 0 && document.Lines[^1].Eol.Length == 0;
        if (hunk.OldMissingFinalNewline || hunk.NewMissingFinalNewline)
            return atEnd && (fileLacksNewline == hunk.OldMissingFinalNewline || old.Count == 0);
        // The hunk's last base line is the file's last line and the patch says it ends in a newline.
        return !(atEnd && old.Count > 0 && fileLacksNewline);
    }

    /// <summary>The new lines for a hunk applied at <paramref name="position"/>: context keeps the file's own bytes, added lines get the file's line end.</summary>
    private static List<SourceLine> Replacement(TextDocument document, DiffHunk hunk, int position, bool faithful)
    {
        var lines = new List<SourceLine>();
        int index = position;
        foreach (var line in hunk.Lines)
        {
            switch (line.Kind)
            {
                case DiffLineKind.Context:
                    lines.Add(document.Lines[index++]);
                    break;
                case DiffLineKind.Removed:
                    index++;
                    break;
                default:
                    lines.Add(new SourceLine(line.Text, !faithful ? document.DefaultEol : line.CrLf ? "\r\n" : "\n"));
                    break;
            }
        }
        bool atEnd = index == document.Lines.Count;
        for (int i = 0; i < lines.Count; i++)
        {
            bool lastOfFile = atEnd && i == lines.Count - 1;
            string eol = lines[i].Eol;
            if (lastOfFile)
                eol = hunk.NewMissingFinalNewline ? "" : eol.Length == 0 ? document.DefaultEol : eol;
            else if (eol.Length == 0)
                eol = document.DefaultEol;
            lines[i] = lines[i] with { Eol = eol };
        }
        // Lines inserted after a last line that had no newline: that line needs one now.
        if (atEnd && lines.Count > 0 && position > 0 && position == index && document.Lines[position - 1].Eol.Length == 0)
            document.Lines[position - 1] = document.Lines[position - 1] with { Eol = document.DefaultEol };
        return lines;
    }

    /// <summary>Whether the hunk's base lines end (CRLF or LF) as the file's lines do; null when no line tells.</summary>
    private static bool? EndsAgree(TextDocument document, DiffHunk hunk, int position)
    {
        bool? agree = null;
        int index = position;
        foreach (var line in hunk.Lines.Where(l => l.InOld))
        {
            string eol = document.Lines[index++].Eol;
            if (eol.Length == 0)
                continue;
            if (line.CrLf != (eol == "\r\n"))
                return false;
            agree = true;
        }
        return agree;
    }

    /// <summary>Explains a failed hunk by comparing it with the file where the diff said it would be.</summary>
    private static string WhyNot(TextDocument document, DiffHunk hunk, List<string> old, int stated)
    {
        if (old.Count == 0)
            return $"it inserts after line {stated}, but the file has {document.Lines.Count} line(s) (or that line comes before an earlier hunk)";
        if (stated + old.Count > document.Lines.Count)
            return $"it needs lines {stated + 1}-{stated + old.Count}, but the file has {document.Lines.Count} line(s) (or those lines come before an earlier hunk)";
        for (int i = 0; i < old.Count; i++)
        {
            string actual = document.Lines[stated + i].Text;
            if (!SameText(actual, old[i]))
                return $"line {stated + i + 1} is '{UnifiedDiffParser.Shorten(actual)}', the patch expects '{UnifiedDiffParser.Shorten(old[i])}' (and the lines are not found nearby either)";
        }
        bool fileLacksNewline = document.Lines.Count > 0 && document.Lines[^1].Eol.Length == 0;
        if (hunk.OldMissingFinalNewline && !fileLacksNewline)
            return "the patch expects the file to end without a newline, but it ends with one";
        if (fileLacksNewline)
            return "the file does not end with a newline, but the patch expects one";
        return "the lines are there, but the patch says they end the file and they do not";
    }

    private static bool StartsWithBom(string? text) => text is { Length: > 0 } && text[0] == '\uFEFF';

    /// <summary>Equal but for a byte order mark, which diffs made from another copy may have or lack.</summary>
    private static bool SameText(string file, string patch) => string.Equals(WithoutBom(file), WithoutBom(patch), StringComparison.Ordinal);

    private static string WithoutBom(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;

    private TextDocument? Load(string relative, FilePatch file)
    {
        if (_state.TryGetValue(relative, out var known))
            return known;
        string full = FullPath(relative, file);
        TextDocument? document = null;
        byte[]? bytes = null;
        if (Directory.Exists(full))
            throw Fail(file, $"{relative} is a folder, not a file");
        if (File.Exists(full))
        {
            try
            {
                bytes = File.ReadAllBytes(full);
                document = TextDocument.Parse(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw Fail(file, $"{relative} is not UTF-8 text, so it cannot be patched exactly", inner: e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Fail(file, $"{relative} cannot be read: {e.Message}", inner: e);
            }
        }
        _state[relative] = document;
        _original[relative] = bytes;
        return document;
    }

    private string FullPath(string relative, FilePatch? file)
    {
        string full = Path.GetFullPath(Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar)));
        string prefix = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
            throw Fail(file, $"'{relative}' is outside the folder the patch applies to");
        return full;
    }

    /// <summary>Writes every changed file; until the renames at the end, the tree is as it was.</summary>
    private void Commit()
    {
        var writes = new List<(string Temp, string Final)>();
        var deletions = new List<string>();
        var createdFolders = new List<string>();
        try
        {
            foreach (var (relative, document) in _state)
            {
                var original = _original[relative];
                string full = FullPath(relative, null);
                if (document is null)
                {
                    if (original is not null)
                        deletions.Add(full);
                    continue;
                }
                byte[] bytes = document.ToBytes();
                if (original is not null && bytes.AsSpan().SequenceEqual(original))
                    continue;
                string folder = Path.GetDirectoryName(full)!;
                if (!Directory.Exists(folder))
                {
                    createdFolders.Add(folder);
                    Directory.CreateDirectory(folder);
                }
                string temp = full + ".patchgen-" + Guid.NewGuid().ToString("N")[..8];
                File.WriteAllBytes(temp, bytes);
                writes.Add((temp, full));
                if (!OperatingSystem.IsWindows() && File.Exists(full))
                    File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (temp, _) in writes)
                TryDelete(temp);
            foreach (var folder in createdFolders.OrderByDescending(f => f.Length))
                RemoveIfEmpty(folder);
            throw Fail(null, $"cannot write the patched files under '{_root}': {e.Message}", inner: e);
        }

        foreach (var (temp, final) in writes)
            File.Move(temp, final, overwrite: true);
        foreach (var full in deletions)
        {
            File.Delete(full);
            // git apply removes folders a deletion empties; the tree then looks as if checked out fresh.
            for (string? folder = Path.GetDirectoryName(full); folder is not null && folder.Length > _root.Length; folder = Path.GetDirectoryName(folder))
            {
                if (!RemoveIfEmpty(folder))
                    break;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error being reported matters more than a stray temporary file.
        }
    }

    private static bool RemoveIfEmpty(string folder)
    {
        try
        {
            if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
                return false;
            Directory.Delete(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private PatchGenException Fail(FilePatch? file, string detail, int? line = null, Exception? inner = null)
        => SourcePatchError.Create(_diff.SourceName, detail, _diff.SourceName, line ?? file?.PatchLine, inner);
}
