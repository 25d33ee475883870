using PatchGen.Corpus.Run;

namespace PatchGen.Corpus.Corpus;

/// <summary>
/// A bare git repository of a corpus library: the copy under the mirror folder (<c>&lt;mirror&gt;/owner+name/repo</c>,
/// where this workplace's fetch tool puts them), else a bare clone from GitHub into the work folder.
/// </summary>
internal sealed class GitMirror
{
    private GitMirror(string gitDirectory) => GitDirectory = gitDirectory;

    public string GitDirectory { get; }

    public static GitMirror Open(CorpusLibrary library, string mirrorRoot, string workRoot)
    {
        var mirrored = Path.Combine(mirrorRoot, library.Repository.Replace('/', '+'), "repo");
        if (Directory.Exists(mirrored))
            return new GitMirror(mirrored);
        var cloned = Path.Combine(workRoot, "repos", library.Name + ".git");
        if (!Directory.Exists(cloned))
            ProcessRunner.RunChecked("git", ["clone", "--bare", "--quiet", $"https://github.com/{library.Repository}.git", cloned]);
        return new GitMirror(cloned);
    }

    public string Git(params string[] arguments) => ProcessRunner.RunChecked("git", ["--git-dir", GitDirectory, .. arguments]);

    /// <summary>Writes the tree of <paramref name="sha"/> into <paramref name="destination"/> (no .git folder).</summary>
    public void Extract(string sha, string destination)
    {
        Directory.CreateDirectory(destination);
        var tar = destination + ".tar";
        Git("archive", "--format=tar", "-o", tar, sha);
        ProcessRunner.RunChecked("tar", ["-xf", tar, "-C", destination]);
        File.Delete(tar);
    }
}
