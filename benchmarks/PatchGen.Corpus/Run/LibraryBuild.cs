using PatchGen.Corpus.Corpus;

namespace PatchGen.Corpus.Run;

/// <summary>
/// Builds one commit of a corpus library in Release, once: the result (the assembly and its PDB, or the failure's
/// log) is cached under <c>&lt;work&gt;/builds/&lt;library&gt;/&lt;sha&gt;</c>, so a rerun only reads it.
/// </summary>
internal sealed class LibraryBuild
{
    /// <summary>
    /// Build-only settings passed as global properties; the commit's files are not edited. One target framework
    /// (the SDK's own, so no targeting pack is needed), warnings not errors (a newer SDK adds warnings an old commit
    /// never saw), analyzers off (they add diagnostics, never code: source generators still run), and a fixed
    /// version for MinVer, which otherwise reads git tags that an extracted tree lacks.
    /// </summary>
    public static readonly IReadOnlyList<string> Properties =
    [
        "-p:TargetFrameworks=net10.0",
        "-p:TreatWarningsAsErrors=false",
        "-p:RunAnalyzers=false",
        "-p:MinVerVersionOverride=1.0.0",
    ];

    private readonly GitMirror git;
    private readonly string workRoot;

    public LibraryBuild(GitMirror git, string workRoot)
    {
        this.git = git;
        this.workRoot = workRoot;
    }

    public sealed record Outcome(bool Succeeded, string AssemblyPath, string LogPath, bool FromCache);

    /// <summary>
    /// MSBuild looks for Directory.Build.props/.targets and Directory.Packages.props up from each project; without
    /// these empty files above the extracted trees, a library that has none of its own would import those of the
    /// folders holding the work folder (this repository's: implicit usings, central package management), and be
    /// built differently from how its authors build it. NuGet's configuration is still found up the tree (this
    /// repository's nuget.config, so the offline feed), as it is not an MSBuild import.
    /// </summary>
    private static void WriteImportStoppers(string sourceRoot)
    {
        Directory.CreateDirectory(sourceRoot);
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            var path = Path.Combine(sourceRoot, name);
            if (!File.Exists(path))
                File.WriteAllText(path, "<Project>\n  <!-- Empty: stops MSBuild's search for this file above the corpus's extracted commits. -->\n</Project>\n");
        }
    }

    public Outcome Build(CorpusLibrary library, string sha)
    {
        var folder = Path.Combine(workRoot, "builds", library.Name, sha);
        var assembly = Path.Combine(folder, "bin", library.AssemblyName + ".dll");
        var log = Path.Combine(folder, "build.log");
        var status = Path.Combine(folder, "status");
        if (File.Exists(status))
            return new Outcome(File.ReadAllText(status).Trim() == "ok", assembly, log, FromCache: true);

        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        var source = Path.Combine(workRoot, "src", library.Name, sha);
        if (Directory.Exists(source))
            Directory.Delete(source, recursive: true);
        git.Extract(sha, source);
        // The commit's SDK pin (global.json) names SDKs this machine does not have; the build uses the installed
        // .NET 10 SDK instead. Nothing else of the tree is touched.
        foreach (var pin in Directory.EnumerateFiles(source, "global.json", SearchOption.AllDirectories))
            File.Delete(pin);

        Directory.CreateDirectory(folder);
        WriteImportStoppers(Path.Combine(workRoot, "src"));
        var project = Path.Combine(source, library.ProjectDirectory, library.ProjectFile);
        var result = ProcessRunner.Run("dotnet",
            ["build", project, "-c", "Release", "-m:1", "-nologo", "-v:q", "-o", Path.Combine(folder, "bin"), .. Properties],
            workingDirectory: source, timeout: TimeSpan.FromMinutes(15));
        File.WriteAllText(log, result.Output);
        var ok = result.ExitCode == 0 && File.Exists(assembly);
        // Intermediate files are large and never read again; the sources stay, for the PDB's source lines.
        foreach (var dir in Directory.EnumerateDirectories(source, "obj", SearchOption.AllDirectories).Concat(
                     Directory.EnumerateDirectories(source, "bin", SearchOption.AllDirectories)).ToList())
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
        File.WriteAllText(status, ok ? "ok" : "failed");
        return new Outcome(ok, assembly, log, FromCache: false);
    }
}
