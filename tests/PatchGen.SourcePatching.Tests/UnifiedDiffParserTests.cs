using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.SourcePatching.Tests;

public class UnifiedDiffParserTests
{
    [Fact]
    public void GitDiffOfSeveralFilesAndHunks()
    {
        const string patch = """
            From 1234 Mon Sep 17 00:00:00 2001
            Subject: [PATCH] fix two things

            The commit message is not part of any file patch.
            ---
             a.cs | 2 +-
            diff --git a/src/a.cs b/src/a.cs
            index 1111111..2222222 100644
            --- a/src/a.cs
            +++ b/src/a.cs
            @@ -1,3 +1,3 @@ class A
             one
            -two
            +TWO
             three
            @@ -10,2 +10,3 @@ void M()
             ten
            +ten and a half
             eleven
            diff --git a/b.cs b/b.cs
            index 3333333..4444444 100644
            --- a/b.cs
            +++ b/b.cs
            @@ -5 +5 @@
            --- this removed line starts with dashes
            +++ and this added one with pluses
            -- 
            2.43.0

            """;
        var diff = UnifiedDiff.Parse(patch, "fix.patch");

        Assert.Equal(2, diff.Files.Count);
        var a = diff.Files[0];
        Assert.Equal(FilePatchKind.Modified, a.Kind);
        Assert.Equal("src/a.cs", a.OldPath);
        Assert.Equal("src/a.cs", a.NewPath);
        Assert.Equal(2, a.Hunks.Count);
        Assert.Equal((1, 3, 1, 3), (a.Hunks[0].OldStart, a.Hunks[0].OldCount, a.Hunks[0].NewStart, a.Hunks[0].NewCount));
        Assert.Equal("class A", a.Hunks[0].Section);
        Assert.Equal(new[] { " one", "-two", "+TWO", " three" }, a.Hunks[0].Lines.Select(l => l.ToString()));
        Assert.Equal(2, a.Hunks[1].Number);
        Assert.Equal(16, a.Hunks[1].PatchLine);

        // Counts, not prefixes, delimit hunks: "--- " and "+++ " inside a hunk are lines, not headers.
        var b = diff.Files[1];
        Assert.Equal((5, 1, 5, 1), (b.Hunks[0].OldStart, b.Hunks[0].OldCount, b.Hunks[0].NewStart, b.Hunks[0].NewCount));
        Assert.Equal(new[] { "--- this removed line starts with dashes", "+++ and this added one with pluses" }, b.Hunks[0].Lines.Select(l => l.ToString()));
    }

    [Fact]
    public void DiffUWithTimestampsAndNewFileAgainstTheEpoch()
    {
        const string patch = "diff -ruN a/x.cs b/x.cs\n"
            + "--- a/x.cs\t2024-05-01 10:00:00.000000000 +0200\n"
            + "+++ b/x.cs\t2024-05-02 11:00:00.123456789 +0200\n"
            + "@@ -1 +1 @@\n-old\n+new\n"
            + "Only in a: stray.txt\n"
            + "diff -ruN a/y.cs b/y.cs\n"
            + "--- a/y.cs\t1969-12-31 16:00:00.000000000 -0800\n"
            + "+++ b/y.cs\t2024-05-02 11:00:00.000000000 +0200\n"
            + "@@ -0,0 +1,2 @@\n+first\n+second\n";
        var diff = UnifiedDiff.Parse(patch);

        Assert.Equal(new[] { "Modified x.cs", "Added y.cs" }, diff.Files.Select(f => f.ToString()));
        Assert.Null(diff.Files[1].OldPath);
    }

    [Fact]
    public void NewDeletedRenamedAndEmptyFilesFromGit()
    {
        const string patch = """
            diff --git a/new.cs b/new.cs
            new file mode 100644
            index 0000000..1111111
            --- /dev/null
            +++ b/new.cs
            @@ -0,0 +1,2 @@
            +a
            +b
            diff --git a/gone.cs b/gone.cs
            deleted file mode 100644
            index 1111111..0000000
            --- a/gone.cs
            +++ /dev/null
            @@ -1 +0,0 @@
            -only line
            diff --git a/empty.txt b/empty.txt
            new file mode 100644
            index 0000000..e69de29
            diff --git a/dir/old name.cs b/dir/new name.cs
            similarity index 90%
            rename from dir/old name.cs
            rename to dir/new name.cs
            index 1111111..2222222 100644
            --- a/dir/old name.cs
            +++ b/dir/new name.cs
            @@ -1 +1 @@
            -x
            +y
            diff --git a/run.sh b/run.sh
            old mode 100644
            new mode 100755
            diff --git a/was-empty.txt b/was-empty.txt
            deleted file mode 100644
            index e69de29..0000000
            """;
        var diff = UnifiedDiff.Parse(patch);

        Assert.Equal(
            new[] { "Added new.cs", "Deleted gone.cs", "Added empty.txt", "Renamed dir/new name.cs", "Deleted was-empty.txt" },
            diff.Files.Select(f => f.ToString()));
        Assert.Equal("dir/old name.cs", diff.Files[3].OldPath);
        Assert.Empty(diff.Files[2].Hunks);
    }

    [Fact]
    public void NoNewlineMarkersApplyToTheLineBeforeThem()
    {
        const string patch = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n keep\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n"
            + "--- a/g\n+++ b/g\n@@ -1 +1,2 @@\n-last\n\\ No newline at end of file\n+last\n+more\n"
            + "--- a/h\n+++ b/h\n@@ -1,2 +1,2 @@\n-first\n+FIRST\n same\n\\ No newline at end of file\n";
        var diff = UnifiedDiff.Parse(patch);

        Assert.True(diff.Files[0].Hunks[0].OldMissingFinalNewline);
        Assert.True(diff.Files[0].Hunks[0].NewMissingFinalNewline);
        Assert.True(diff.Files[1].Hunks[0].OldMissingFinalNewline);
        Assert.False(diff.Files[1].Hunks[0].NewMissingFinalNewline);
        Assert.True(diff.Files[2].Hunks[0].OldMissingFinalNewline);
        Assert.True(diff.Files[2].Hunks[0].NewMissingFinalNewline);
    }

    [Fact]
    public void CrlfPatchesAndTrimmedEmptyContextLinesParse()
    {
        // An editor saved the patch with CRLF and trimmed the lone space of an empty context line.
        const string patch = "--- a/f.cs\r\n+++ b/f.cs\r\n@@ -1,3 +1,3 @@\r\n a\r\n\r\n-b\r\n+c\r\n";
        var diff = UnifiedDiff.Parse(patch);

        Assert.Equal(new[] { " a", " ", "-b", "+c" }, diff.Files[0].Hunks[0].Lines.Select(l => l.ToString()));
        Assert.All(diff.Files[0].Hunks[0].Lines, l => Assert.True(l.CrLf));
    }

    [Fact]
    public void QuotedGitPathsAreDecoded()
    {
        const string patch = "--- \"a/caf\\303\\251 \\\"x\\\".cs\"\n+++ \"b/caf\\303\\251 \\\"x\\\".cs\"\n@@ -1 +1 @@\n-a\n+b\n";
        Assert.Equal("café \"x\".cs", UnifiedDiff.Parse(patch).Files[0].Path);
    }

    [Fact]
    public void StripComponentsIsConfigurable()
    {
        const string patch = "--- shop.orig/src/a.cs\n+++ shop/src/a.cs\n@@ -1 +1 @@\n-a\n+b\n";
        Assert.Equal("src/a.cs", UnifiedDiff.Parse(patch).Files[0].Path);
        Assert.Equal("a.cs", UnifiedDiff.Parse(patch, stripComponents: 2).Files[0].Path);
        Assert.Equal("shop/src/a.cs", UnifiedDiff.Parse(patch, stripComponents: 0).Files[0].NewPath);
    }

    [Theory]
    [InlineData("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n", 3, "ends early")]
    [InlineData("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\nrubbish\n", 6, "ends early")]
    [InlineData("--- a/f\n+++ b/f\n@@ -x +1 @@\n-a\n+b\n", 3, "malformed hunk header")]
    [InlineData("--- a/f\n+++ b/f\n", 1, "without any hunk")]
    [InlineData("@@ -1 +1 @@\n-a\n+b\n", 1, "without a '--- '/'+++ ' file header")]
    [InlineData("--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", 1, "not a relative path inside the tree")]
    [InlineData("--- a/f\n+++ b/f\n@@ -5 +5 @@\n-a\n+b\n@@ -1 +1 @@\n-c\n+d\n", 6, "overlaps or precedes")]
    [InlineData("diff --git a/i.png b/i.png\nindex 1..2 100644\nBinary files a/i.png and b/i.png differ\n", 3, "binary patches are not supported")]
    [InlineData("just some text\n", 0, "contains no file changes")]
    [InlineData("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n\\ No newline at end of file\n-b\n+c\n+d\n", 6, "follows '\\ No newline")]
    public void MalformedPatchesAreRejectedWithTheirLine(string patch, int line, string message)
    {
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse(patch, "bad.patch"));
        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Equal("bad.patch", error.Diagnostic.File);
        Assert.Equal(line == 0 ? null : line, error.Diagnostic.Line);
        Assert.Contains(message, error.Diagnostic.Message);
        Assert.StartsWith("bad.patch: ", error.Diagnostic.Message);
    }

    [Fact]
    public void LoadNamesTheMissingPatch()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".patch");
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Load(path));
        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Contains(path, error.Diagnostic.Message);
    }
}
