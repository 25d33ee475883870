using System.Diagnostics;
using PatchGen.Diagnostics;

namespace PatchGen.SourcePatching;

/// <summary>
/// The kpatch-build step for .NET: builds a project as it is (the base, what runs in production)
/// and with a source diff applied (the new build), each from its own fresh copy in a work folder,
/// with the real SDK, so that <see cref="AssemblyDiffer.Compare(string, string)"/> can compare the
/// two output assemblies. The base is built once and shared by every patched build. Disposing the
/// builder deletes the work folder.
/// <para>
/// It may be given several projects, or a solution (<c>.sln</c>, <c>.slnx</c>: all its projects): a copy
/// then builds each project that no project already built (and not a test project) references, the largest
/// first, so every project is compiled once and every assembly of the application lands in the output folder
/// of a project that is not a test project (<see cref="ProjectBuild.Outputs"/>; which of them changed:
/// <see cref="AssemblyChanges"/>).
/// </para>
/// <para>
/// Errors are <see cref="PatchGenException"/>s carrying PG0001: a patch that does not apply names
/// the patch, the file and the hunk; a project that does not build names the project and the first
/// error of the build. A failed build leaves no copy behind, only its log.
/// </para>
/// </summary>
public sealed class ProjectPatchBuilder : IDisposable
{
    // Files above the source root that decide how a copy builds without changing what it builds:
    // the SDK version and the package feeds. They are copied next to the copies.
    private static readonly string[] EnvironmentFiles = { "global.json", "nuget.config" };

    private static readonly string[] BuildLogicFiles = { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" };

    private readonly ProjectPatchBuilderOptions _options;
    private readonly object _baseGate = new();
    private readonly List<string> _notes = new();
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _closures;
    private ProjectBuild? _base;
    private int _patchedBuilds;
    private bool _disposed;

    /// <param name="project">A project file, a solution file (.sln, .slnx), or a folder with exactly one project file (or else one solution file).</param>
    public ProjectPatchBuilder(string project, ProjectPatchBuilderOptions? options = null)
        : this(new[] { project }, options)
    {
    }

    /// <param name="projects">Project files, solution files or folders, as for one; the patch covers all their projects and the projects they reference.</param>
    public ProjectPatchBuilder(IReadOnlyList<string> projects, ProjectPatchBuilderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(projects);
        if (projects.Count == 0)
            throw new ArgumentException("at least one project", nameof(projects));
        _options = options ?? new ProjectPatchBuilderOptions();
        Inputs = projects.Select(ResolveInput).Distinct(StringComparer.Ordinal).ToList();
        Projects = Inputs.SelectMany(i => SolutionFile.IsSolutionFile(i) ? SolutionFile.Projects(i) : new[] { i }).Distinct(StringComparer.Ordinal).ToList();
        ProjectPath = Projects[0];
        SourceRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.SourceRoot ?? CommonFolder(Inputs.Select(i => Path.GetDirectoryName(i)!))));
        if (!Directory.Exists(SourceRoot))
            throw SourcePatchError.Create(Inputs[0], $"the source root '{SourceRoot}' does not exist", Inputs[0]);
        foreach (var project in Projects)
        {
            var relative = Path.GetRelativePath(SourceRoot, project);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                throw SourcePatchError.Create(project, $"the project is not inside the source root '{SourceRoot}'", project);
        }
        _closures = Projects.ToDictionary(p => p, ProjectReferences.Closure, StringComparer.Ordinal);

        WorkDirectory = Path.Combine(Path.GetFullPath(_options.WorkRoot ?? Path.GetTempPath()), "patchgen-build-" + Guid.NewGuid().ToString("N")[..10]);
        LogDirectory = Path.GetFullPath(_options.LogDirectory ?? Path.Combine(WorkDirectory, "logs"));
        try
        {
            Directory.CreateDirectory(WorkDirectory);
            Directory.CreateDirectory(LogDirectory);
            CopyEnvironmentFiles();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDeleteWorkDirectory();
            throw SourcePatchError.Create(ProjectPath, $"cannot create the work folder '{WorkDirectory}': {e.Message}", ProjectPath, inner: e);
        }
    }

    /// <summary>The project and solution files as given (full paths), in order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Every project the inputs name (a solution's, in its order), full paths: the patch covers these and the projects they reference.</summary>
    public IReadOnlyList<string> Projects { get; }

    /// <summary>What is built, as a user named it, relative to the source root: <c>WebShop.slnx</c>, <c>A/A.csproj, B/B.csproj</c>.</summary>
    public string Subject => string.Join(", ", Inputs.Select(i => Path.GetRelativePath(SourceRoot, i)));

    /// <summary>The first of <see cref="Projects"/>, the original project file (never built or modified in place).</summary>
    public string ProjectPath { get; }

    /// <summary>The original folder that is copied; patch paths are relative to it.</summary>
    public string SourceRoot { get; }

    /// <summary>The temporary folder holding the copies (and, by default, the logs).</summary>
    public string WorkDirectory { get; }

    public string LogDirectory { get; }

    /// <summary>What the builder noticed about the environment (files above the source root that a copy does not see).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The base build: the project as it is. Built on first use, then shared.</summary>
    public ProjectBuild BuildBase(CancellationToken cancellation = default)
    {
        lock (_baseGate)
            return _base ??= Build("base", null, cancellation);
    }

    /// <summary>A new build: a fresh copy with <paramref name="diff"/> applied. Each call builds again.</summary>
    public ProjectBuild BuildPatched(UnifiedDiff diff, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return Build("new-" + Interlocked.Increment(ref _patchedBuilds).ToString(System.Globalization.CultureInfo.InvariantCulture), diff, cancellation);
    }

    /// <summary>Loads the patch file and builds with it applied (see <see cref="BuildPatched(UnifiedDiff, CancellationToken)"/>).</summary>
    public ProjectBuild BuildPatched(string patchPath, CancellationToken cancellation = default)
        => BuildPatched(UnifiedDiff.Load(patchPath, _options.StripComponents), cancellation);

    /// <summary>Both builds for one patch: the (shared) base and a new build with the patch applied.</summary>
    public (ProjectBuild Base, ProjectBuild New) Build(string patchPath, CancellationToken cancellation = default)
    {
        // Parse and try it first: a malformed patch, or one that does not apply, should fail before
        // minutes of building.
        var diff = UnifiedDiff.Load(patchPath, _options.StripComponents);
        CheckApplies(diff);
        CheckFixIsCovered(diff, patchPath);
        return (BuildBase(cancellation), BuildPatched(diff, cancellation));
    }

    /// <summary>
    /// The projects of the source tree whose files <paramref name="diff"/> changes (see
    /// <see cref="ProjectOwnership"/>), in the order the diff names them; a file in no project's folder
    /// counts for none, a file in a folder of several projects for one of this builder's projects if it is one of them.
    /// </summary>
    public IReadOnlyList<string> ProjectsChangedBy(UnifiedDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return diff.Files.Select(f => OwnerOf(f.Path)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
    }

    private string? OwnerOf(string relativePath)
    {
        var projects = ProjectOwnership.ProjectsOwning(SourceRoot, relativePath);
        return projects.FirstOrDefault(p => Projects.Contains(p, StringComparer.Ordinal)) ?? projects.FirstOrDefault();
    }

    /// <summary>
    /// A patch is built for these projects and the projects they reference (each changed assembly among them a
    /// base of the patch): a diff that also changes a project outside them would give a patch with part of
    /// the fix, silently (PG0010). Checked before minutes of building.
    /// </summary>
    public void CheckFixIsCovered(UnifiedDiff diff, string patchPath)
    {
        var built = _closures.Values.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);
        foreach (var file in diff.Files)
        {
            if (OwnerOf(file.Path) is { } owner && !built.Contains(Path.GetFullPath(owner)))
            {
                throw new PatchGenException(PatchDiagnostic.Of(DiagnosticCatalog.FixSpansProjects,
                    patchPath, file.Path, Path.GetRelativePath(SourceRoot, owner), WhatIsBuilt()));
            }
        }
    }

    /// <summary>PG0010's account of what the patch is built for, which does not reach the file.</summary>
    private string WhatIsBuilt()
    {
        if (Inputs.Count == 1 && SolutionFile.IsSolutionFile(Inputs[0]))
            return $"solution {Subject}, none of whose projects references it";
        return Inputs.Count == 1 ? $"project {Subject}, which does not reference it" : $"projects {Subject}, none of which references it";
    }

    /// <summary>
    /// The projects a copy builds, in order: the one that builds most with it first, each skipped when a project
    /// built before it (not a test project, whose output is not what runs) references it. The rest come along
    /// with the projects that reference them, into their output folders.
    /// </summary>
    private IEnumerable<string> BuildOrder(Func<string, bool> isTestProject)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in Projects.OrderByDescending(p => _closures[p].Count))
        {
            if (covered.Contains(project))
                continue;
            yield return project;
            if (!isTestProject(project))
                covered.UnionWith(_closures[project]);
        }
    }

    /// <summary>
    /// Applies the diff to a scratch copy of just the files it touches (it reads nothing else), so that
    /// a diff that does not apply is reported at once, with the same error as the real application.
    /// </summary>
    private void CheckApplies(UnifiedDiff diff)
    {
        var scratch = Path.Combine(WorkDirectory, "check-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            foreach (var file in diff.Files)
            {
                foreach (var relative in new[] { file.OldPath, file.NewPath })
                {
                    if (relative is null)
                        continue;
                    var source = Path.Combine(SourceRoot, relative);
                    var target = Path.GetFullPath(Path.Combine(scratch, relative));
                    // A path escaping the tree is the applier's to report; only copy what lies inside.
                    if (!target.StartsWith(scratch + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(source) || File.Exists(target))
                        continue;
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(source, target);
                }
            }
            Directory.CreateDirectory(scratch);
            diff.ApplyTo(scratch);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Could not even stage the check: the real application will say what is wrong.
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private ProjectBuild Build(string label, UnifiedDiff? diff, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var watch = Stopwatch.StartNew();
        string copy = Path.Combine(WorkDirectory, label);
        string tree = Path.Combine(copy, Path.GetFileName(SourceRoot));
        string log = Path.Combine(LogDirectory, label + ".log");
        try
        {
            try
            {
                SourceTreeCopier.Copy(SourceRoot, tree);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw SourcePatchError.Create(ProjectPath, $"cannot copy '{SourceRoot}' for the {label} build: {e.Message}", ProjectPath, inner: e);
            }
            var application = diff?.ApplyTo(tree);
            var outputs = new List<ProjectOutput>();
            // The order is taken lazily: whether a project built is a test project is known once it is built.
            foreach (var original in BuildOrder(p => outputs.Any(o => o.IsTestProject && o.ProjectPath == InCopy(tree, p))))
            {
                string projectLog = outputs.Count == 0 ? log : Path.Combine(LogDirectory, label + "-" + Path.GetFileNameWithoutExtension(original) + ".log");
                outputs.Add(DotnetBuild.Run(InCopy(tree, original), tree, SourceRoot, original, label, projectLog, _options, cancellation));
            }
            var main = outputs.FirstOrDefault(o => !o.IsTestProject) ?? outputs[0];
            return new ProjectBuild(label, tree, main.ProjectPath, main.AssemblyPath, log, watch.Elapsed, application, outputs);
        }
        catch
        {
            // Never leave a half-made copy that could be mistaken for a build; the log stays.
            TryDelete(copy);
            throw;
        }
    }

    private string InCopy(string tree, string originalProject) => Path.Combine(tree, Path.GetRelativePath(SourceRoot, originalProject));

    /// <summary>A project or solution file as named, or the one project file of a folder (else its one solution file).</summary>
    private static string ResolveInput(string project)
    {
        string full = Path.GetFullPath(project);
        if (File.Exists(full))
        {
            if (!ProjectOwnership.IsProjectFile(full) && !SolutionFile.IsSolutionFile(full))
                throw SourcePatchError.Create(full, "not a project file (.csproj, .fsproj or .vbproj) nor a solution (.sln, .slnx)", full);
            return full;
        }
        if (!Directory.Exists(full))
            throw SourcePatchError.Create(full, "the project does not exist", full);
        foreach (var (isWanted, kind) in new (Func<string, bool>, string)[] { (ProjectOwnership.IsProjectFile, "project"), (SolutionFile.IsSolutionFile, "solution") })
        {
            var candidates = Directory.EnumerateFiles(full).Where(isWanted).OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (candidates.Count == 1)
                return candidates[0];
            if (candidates.Count > 1)
                throw SourcePatchError.Create(full, $"the folder has several {kind} files (" + string.Join(", ", candidates.Select(Path.GetFileName)) + "); name one", full);
        }
        throw SourcePatchError.Create(full, "the folder has no project file", full);
    }

    /// <summary>The deepest folder that holds all of <paramref name="folders"/>.</summary>
    private static string CommonFolder(IEnumerable<string> folders)
    {
        string? common = null;
        foreach (var folder in folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))))
        {
            common ??= folder;
            while (!string.Equals(folder, common, StringComparison.Ordinal) && !folder.StartsWith(Path.EndsInDirectorySeparator(common) ? common : common + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                common = Path.GetDirectoryName(common) ?? common; // a root's parent is null; everything is below a root

        }
        return common!;
    }

    /// <summary>
    /// Copies the nearest global.json and nuget.config above the source root into the work folder,
    /// where the SDK and NuGet look for them from the copies, so a copy uses the same SDK and feeds
    /// as the original. Build logic above the source root is not copied (it would be a different
    /// build); it is noted, so that a surprising build can be explained.
    /// </summary>
    private void CopyEnvironmentFiles()
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var folder = Directory.GetParent(SourceRoot); folder is not null; folder = folder.Parent)
        {
            IEnumerable<FileInfo> files;
            try
            {
                files = folder.EnumerateFiles().ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var file in files)
            {
                if (EnvironmentFiles.Contains(file.Name, StringComparer.OrdinalIgnoreCase) && found.Add(file.Name))
                {
                    File.Copy(file.FullName, Path.Combine(WorkDirectory, file.Name.ToLowerInvariant() == "nuget.config" ? "nuget.config" : file.Name));
                    _notes.Add($"uses {file.FullName}");
                }
                else if (BuildLogicFiles.Contains(file.Name, StringComparer.OrdinalIgnoreCase) && found.Add(file.Name) && !FoundInsideSourceRoot(file.Name))
                {
                    _notes.Add($"{file.FullName} is above the source root and not copied; builds of the copies do not see it (set SourceRoot higher if the project needs it)");
                }
            }
        }
    }

    /// <summary>MSBuild imports the nearest such file only: one between the (first) project and the source root hides those above.</summary>
    private bool FoundInsideSourceRoot(string name)
    {
        for (var folder = Directory.GetParent(ProjectPath); folder is not null && folder.FullName.Length >= SourceRoot.Length; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, name)))
                return true;
        }
        return false;
    }

    private static void TryDelete(string folder)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A build server may still close a file handle; try again shortly.
                Thread.Sleep(200);
            }
        }
    }

    private void TryDeleteWorkDirectory()
    {
        if (!_options.KeepWorkDirectory)
            TryDelete(WorkDirectory);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        TryDeleteWorkDirectory();
    }
}
