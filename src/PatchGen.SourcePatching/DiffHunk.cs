namespace PatchGen.SourcePatching;

/// <summary>
/// One <c>@@ -OldStart,OldCount +NewStart,NewCount @@</c> block. Line numbers are 1-based as in the
/// diff; a count of 0 means the start names the line <em>after which</em> the change goes.
/// </summary>
public sealed class DiffHunk
{
    internal DiffHunk(int number, int patchLine, int oldStart, int oldCount, int newStart, int newCount, string section,
        IReadOnlyList<DiffLine> lines, bool oldMissingFinalNewline, bool newMissingFinalNewline)
    {
        Number = number;
        PatchLine = patchLine;
        OldStart = oldStart;
        OldCount = oldCount;
        NewStart = newStart;
        NewCount = newCount;
        Section = section;
        Lines = lines;
        OldMissingFinalNewline = oldMissingFinalNewline;
        NewMissingFinalNewline = newMissingFinalNewline;
    }

    /// <summary>1-based position of the hunk within its file's patch, as error messages count it.</summary>
    public int Number { get; }

    /// <summary>1-based line of the <c>@@</c> header in the patch text.</summary>
    public int PatchLine { get; }

    public int OldStart { get; }

    public int OldCount { get; }

    public int NewStart { get; }

    public int NewCount { get; }

    /// <summary>The text after the closing <c>@@</c> (git puts the enclosing declaration there), trimmed.</summary>
    public string Section { get; }

    public IReadOnlyList<DiffLine> Lines { get; }

    /// <summary>The hunk's last base line had <c>\ No newline at end of file</c>.</summary>
    public bool OldMissingFinalNewline { get; }

    /// <summary>The hunk's last new line had <c>\ No newline at end of file</c>.</summary>
    public bool NewMissingFinalNewline { get; }

    /// <summary>The header as the diff spelled it, for messages.</summary>
    public string Header => $"@@ -{OldStart},{OldCount} +{NewStart},{NewCount} @@";

    public override string ToString() => Header;
}
