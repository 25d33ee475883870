using System.Text;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.SourcePatching.Tests;

public class DiffApplierTests
{
    private static string Lines(int from, int to, string prefix = "line ") => string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"{prefix}{i}\n"));

    [Fact]
    public void MultiHunkEditAppliesExactly()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["src/a.cs"] = Lines(1, 30) });
        const string patch = """
            --- a/src/a.cs
            +++ b/src/a.cs
            @@ -1,4 +1,4 @@
             line 1
            -line 2
            +line two
             line 3
             line 4
            @@ -20,5 +20,6 @@
             line 20
             line 21
            +line 21.5
            +line 21.7
             line 22
            -line 23
            -line 24
            +line 23/24
            """;

        var result = UnifiedDiff.Parse(patch).ApplyTo(tree.Root);

        var expected = Lines(1, 30).Replace("line 2\n", "line two\n").Replace("line 22\nline 23\nline 24\n", "line 21.5\nline 21.7\nline 22\nline 23/24\n");
        Assert.Equal(expected, tree.Read("src/a.cs"));
        Assert.Equal(new[] { 0, 0 }, Assert.Single(result.Files).HunkOffsets);
        Assert.Empty(result.OffsetNotes());
    }

    [Fact]
    public void HunksAreFoundSomeLinesAwayFromWhereTheDiffSays()
    {
        // The diff was made before five lines were added at the top and two removed near the end.
        string original = Lines(1, 40);
        string drifted = Lines(1, 5, "new ") + Lines(1, 30) + Lines(33, 40);
        using var tree = new TempTree(new Dictionary<string, string> { ["f.txt"] = drifted });
        const string patch = "--- a/f.txt\n+++ b/f.txt\n"
            + "@@ -10,3 +10,3 @@\n line 10\n-line 11\n+LINE 11\n line 12\n"
            + "@@ -36,3 +36,3 @@\n line 36\n-line 37\n+LINE 37\n line 38\n";

        var result = UnifiedDiff.Parse(patch).ApplyTo(tree.Root);

        Assert.Equal(drifted.Replace("line 11\n", "LINE 11\n").Replace("line 37\n", "LINE 37\n"), tree.Read("f.txt"));
        Assert.Equal(new[] { 5, 3 }, result.Files[0].HunkOffsets);
        Assert.Equal(new[] { "f.txt: hunk #1 applied at offset +5 line(s)", "f.txt: hunk #2 applied at offset +3 line(s)" }, result.OffsetNotes());
        Assert.NotEqual(original, drifted);
    }

    [Fact]
    public void NegativeOffsetsToo()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f.txt"] = Lines(4, 20) });
        const string patch = "--- a/f.txt\n+++ b/f.txt\n@@ -12,3 +12,2 @@\n line 12\n-line 13\n line 14\n";

        var result = UnifiedDiff.Parse(patch).ApplyTo(tree.Root);

        Assert.Equal(Lines(4, 12) + Lines(14, 20), tree.Read("f.txt"));
        Assert.Equal(-3, result.Files[0].HunkOffsets[0]);
    }

    [Fact]
    public void NewFilesInNewFoldersAndDeletedFilesWithTheirFolders()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["keep.cs"] = "keep\n",
            ["old/only.cs"] = "one\ntwo\n",
        });
        const string patch = """
            diff --git a/deep/er/new.cs b/deep/er/new.cs
            new file mode 100644
            --- /dev/null
            +++ b/deep/er/new.cs
            @@ -0,0 +1,2 @@
            +hello
            +world
            diff --git a/old/only.cs b/old/only.cs
            deleted file mode 100644
            --- a/old/only.cs
            +++ /dev/null
            @@ -1,2 +0,0 @@
            -one
            -two
            diff --git a/empty.txt b/empty.txt
            new file mode 100644
            index 0000000..e69de29
            """;

        var result = UnifiedDiff.Parse(patch).ApplyTo(tree.Root);

        Assert.Equal("hello\nworld\n", tree.Read("deep/er/new.cs"));
        Assert.False(tree.Exists("old/only.cs"));
        Assert.False(Directory.Exists(tree.PathOf("old")));
        Assert.Equal("", tree.Read("empty.txt"));
        Assert.Equal(new[] { FilePatchKind.Added, FilePatchKind.Deleted, FilePatchKind.Added }, result.Files.Select(f => f.Kind));
    }

    [Fact]
    public void RenamesMoveAndEdit()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["a/Old.cs"] = "class Old\n{\n}\n" });
        const string patch = """
            diff --git a/a/Old.cs b/b/New.cs
            similarity index 70%
            rename from a/Old.cs
            rename to b/New.cs
            --- a/a/Old.cs
            +++ b/b/New.cs
            @@ -1,3 +1,3 @@
            -class Old
            +class New
             {
             }
            """;

        UnifiedDiff.Parse(patch).ApplyTo(tree.Root);

        Assert.False(tree.Exists("a/Old.cs"));
        Assert.Equal("class New\n{\n}\n", tree.Read("b/New.cs"));
    }

    [Theory]
    [InlineData("a\nb", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", "a\nb\n")]
    [InlineData("a\nb\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n", "a\nb")]
    [InlineData("a\nb", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n\\ No newline at end of file\n", "A\nb")]
    [InlineData("a\nb", "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file\n", "a\nb\nc")]
    [InlineData("", "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n\\ No newline at end of file\n", "x")]
    public void NoNewlineAtEndOfFileIsHonouredBothWays(string before, string patch, string after)
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = before });
        UnifiedDiff.Parse(patch).ApplyTo(tree.Root);
        Assert.Equal(after, tree.Read("f"));
    }

    [Fact]
    public void AHunkThatExpectsAFinalNewlineDoesNotApplyToAFileWithout()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = "a\nb" });
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n", "p.patch").ApplyTo(tree.Root));
        Assert.Contains("does not end with a newline", error.Diagnostic.Message);
        Assert.Equal("a\nb", tree.Read("f"));
    }

    [Fact]
    public void CrlfFilesKeepTheirLineEndsAndUntouchedBytes()
    {
        // Mixed line ends and a BOM: every line the patch does not add keeps its own bytes.
        string before = "\uFEFFusing System;\r\nclass A\r\n{\n    int X;\r\n}\r\n";
        using var tree = new TempTree(new Dictionary<string, string> { ["A.cs"] = before });
        // A diff made on an LF checkout of the same file (so without the BOM and the CRs).
        const string patch = "--- a/A.cs\n+++ b/A.cs\n@@ -1,5 +1,6 @@\n using System;\n class A\n {\n-    int X;\n+    int Y;\n+    int Z;\n }\n";

        UnifiedDiff.Parse(patch).ApplyTo(tree.Root);

        Assert.Equal("\uFEFFusing System;\r\nclass A\r\n{\n    int Y;\r\n    int Z;\r\n}\r\n", tree.Read("A.cs"));
    }

    [Fact]
    public void ACrlfPatchCreatesACrlfFile()
    {
        using var tree = new TempTree();
        UnifiedDiff.Parse("--- /dev/null\r\n+++ b/n.cs\r\n@@ -0,0 +1,2 @@\r\n+a\r\n+b\r\n").ApplyTo(tree.Root);
        Assert.Equal("a\r\nb\r\n", tree.Read("n.cs"));
    }

    [Fact]
    public void AByteOrderMarkOnTheDiffsFirstLineStillMatches()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["A.cs"] = "\uFEFFnamespace N;\nclass A { }\n" });
        UnifiedDiff.Parse("--- a/A.cs\n+++ b/A.cs\n@@ -1,2 +1,2 @@\n \uFEFFnamespace N;\n-class A { }\n+class B { }\n").ApplyTo(tree.Root);
        Assert.Equal("\uFEFFnamespace N;\nclass B { }\n", tree.Read("A.cs"));
    }

    [Fact]
    public void MismatchedContextNamesFileHunkAndLineAndLeavesTheTreeUntouched()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["first.cs"] = Lines(1, 10),
            ["second.cs"] = Lines(1, 10).Replace("line 7\n", "line seven\n"),
        });
        var before = tree.Snapshot();
        // first.cs and the new file would apply; hunk #2 of second.cs does not, so nothing may be written.
        const string patch = """
            --- a/first.cs
            +++ b/first.cs
            @@ -1,2 +1,2 @@
            -line 1
            +LINE 1
             line 2
            --- /dev/null
            +++ b/brand/new.cs
            @@ -0,0 +1 @@
            +new
            --- a/second.cs
            +++ b/second.cs
            @@ -1,2 +1,2 @@
            -line 1
            +LINE 1
             line 2
            @@ -6,3 +6,3 @@
             line 6
            -line 7
            +LINE 7
             line 8
            """;

        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse(patch, "fixes/bad.patch").ApplyTo(tree.Root));

        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Equal("fixes/bad.patch", error.Diagnostic.File);
        Assert.Equal(17, error.Diagnostic.Line);
        Assert.Equal(
            "fixes/bad.patch: hunk #2 (@@ -6,3 +6,3 @@, patch line 17) does not apply to second.cs: line 7 is 'line seven', the patch expects 'line 7' (and the lines are not found nearby either)",
            error.Diagnostic.Message);
        Assert.Equal(before, tree.Snapshot());
    }

    [Fact]
    public void ATooShortFileIsExplained()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = Lines(1, 3) });
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse("--- a/f\n+++ b/f\n@@ -8,2 +8,2 @@\n-line 8\n+x\n line 9\n").ApplyTo(tree.Root));
        Assert.Contains("does not apply to f: it needs lines 8-9, but the file has 3 line(s)", error.Diagnostic.Message);
    }

    [Fact]
    public void AnInsertionPastTheEndIsExplained()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = Lines(1, 3) });
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse("--- a/f\n+++ b/f\n@@ -9,0 +10 @@\n+x\n").ApplyTo(tree.Root));
        Assert.Contains("does not apply to f: it inserts after line 9, but the file has 3 line(s)", error.Diagnostic.Message);
    }

    [Theory]
    [InlineData("--- /dev/null\n+++ b/exists.cs\n@@ -0,0 +1 @@\n+x\n", "exists.cs: the patch creates this file, but it already exists")]
    [InlineData("--- a/missing.cs\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n", "missing.cs: the patch deletes this file, but it does not exist")]
    [InlineData("--- a/missing.cs\n+++ b/missing.cs\n@@ -1 +1 @@\n-x\n+y\n", "missing.cs: the patch edits this file, but it does not exist")]
    [InlineData("--- a/exists.cs\n+++ /dev/null\n@@ -1 +0,0 @@\n-one\n", "exists.cs: the patch deletes this file, but the file has 1 line(s) the patch does not list")]
    [InlineData("--- a/dir\n+++ b/dir\n@@ -1 +1 @@\n-x\n+y\n", "dir is a folder, not a file")]
    public void FileLevelMismatchesAreErrors(string patch, string message)
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["exists.cs"] = "one\ntwo\n", ["dir/x"] = "x\n" });
        var before = tree.Snapshot();
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse(patch, "p").ApplyTo(tree.Root));
        Assert.Equal("p: " + message, error.Diagnostic.Message);
        Assert.Equal(before, tree.Snapshot());
    }

    [Fact]
    public void TwoPatchesOfOneFileInOneDiffApplyInTurn()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = "a\nb\nc\n" });
        UnifiedDiff.Parse("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n A\n b\n-c\n+C\n").ApplyTo(tree.Root);
        Assert.Equal("A\nb\nC\n", tree.Read("f"));
    }

    [Fact]
    public void ZeroContextHunksApplyAtTheirStatedLines()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = "a\nb\nc\n" });
        // diff -U0: an insertion after line 1 and a replacement of line 3, without context.
        UnifiedDiff.Parse("--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+a2\n@@ -3 +4 @@\n-c\n+C\n").ApplyTo(tree.Root);
        Assert.Equal("a\na2\nb\nC\n", tree.Read("f"));
    }

    [Fact]
    public void FilesThatAreNotUtf8AreRefused()
    {
        using var tree = new TempTree();
        File.WriteAllBytes(tree.PathOf("latin1.txt"), new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n' });
        var error = Assert.Throws<PatchGenException>(() => UnifiedDiff.Parse("--- a/latin1.txt\n+++ b/latin1.txt\n@@ -1 +1 @@\n-x\n+y\n").ApplyTo(tree.Root));
        Assert.Contains("latin1.txt is not UTF-8 text", error.Diagnostic.Message);
    }

    [Fact]
    public void ExecutableBitSurvives()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var tree = new TempTree(new Dictionary<string, string> { ["run.sh"] = "echo a\n" });
        File.SetUnixFileMode(tree.PathOf("run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        UnifiedDiff.Parse("--- a/run.sh\n+++ b/run.sh\n@@ -1 +1 @@\n-echo a\n+echo b\n").ApplyTo(tree.Root);
        Assert.Equal("echo b\n", tree.Read("run.sh"));
        Assert.True(File.GetUnixFileMode(tree.PathOf("run.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void NoTemporaryFilesAreLeftBehind()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["f"] = "a\n" });
        UnifiedDiff.Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n").ApplyTo(tree.Root);
        Assert.Equal(new[] { "f" }, tree.Snapshot().Keys);
        Assert.Equal("b\n", Encoding.UTF8.GetString(File.ReadAllBytes(tree.PathOf("f"))));
    }
}
