namespace PatchGen.SourcePatching;

/// <summary>
/// Which assemblies a diff changed between two builds of the same projects: the bases of the patch. Every
/// assembly in the output folder of a project built that is not a test project is compared by its bytes
/// (deterministic builds give an unchanged project the same bytes, so only what the diff reached differs).
/// An assembly that changed but lies only in test projects' output folders (a test project's own, or a
/// library only tests reference) is left out: the application does not load it, and a patch bound to it
/// would be refused whole by every process (PG0005).
/// </summary>
/// <param name="Bases">Base and new assembly of each changed one; the first project's own first, then by file name.</param>
/// <param name="LeftOut">File names of changed assemblies only test projects load.</param>
public sealed record AssemblyChanges(IReadOnlyList<(string Base, string New)> Bases, IReadOnlyList<string> LeftOut)
{
    public static AssemblyChanges Between(ProjectBuild baseBuild, ProjectBuild newBuild)
    {
        ArgumentNullException.ThrowIfNull(baseBuild);
        ArgumentNullException.ThrowIfNull(newBuild);
        var bases = ChangedIn(baseBuild, newBuild, testProjects: false);
        string own = Path.GetFileName(newBuild.AssemblyPath);
        var ordered = bases.Values.OrderBy(c => Path.GetFileName(c.New) == own ? 0 : 1).ThenBy(c => Path.GetFileName(c.New), StringComparer.Ordinal).ToList();
        var leftOut = ChangedIn(baseBuild, newBuild, testProjects: true).Keys.Where(name => !bases.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        return new AssemblyChanges(ordered, leftOut);
    }

    private static Dictionary<string, (string Base, string New)> ChangedIn(ProjectBuild baseBuild, ProjectBuild newBuild, bool testProjects)
    {
        var changed = new Dictionary<string, (string Base, string New)>(StringComparer.Ordinal);
        foreach (var output in newBuild.Outputs.Where(o => o.IsTestProject == testProjects))
        {
            var relative = Path.GetRelativePath(newBuild.SourceDirectory, output.ProjectPath);
            var before = baseBuild.Outputs.FirstOrDefault(o => Path.GetRelativePath(baseBuild.SourceDirectory, o.ProjectPath) == relative);
            if (before is null)
                continue; // not built in the base: a project the diff turned into (or out of) a test project
            var baseFolder = Path.GetDirectoryName(before.AssemblyPath)!;
            var newFolder = Path.GetDirectoryName(output.AssemblyPath)!;
            foreach (var name in Directory.EnumerateFiles(newFolder, "*.dll").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
            {
                var (basePath, newPath) = (Path.Combine(baseFolder, name), Path.Combine(newFolder, name));
                if (!changed.ContainsKey(name) && File.Exists(basePath) && !File.ReadAllBytes(basePath).AsSpan().SequenceEqual(File.ReadAllBytes(newPath)))
                    changed[name] = (basePath, newPath);
            }
        }
        return changed;
    }
}
