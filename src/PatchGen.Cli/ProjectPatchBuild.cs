using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;

namespace PatchGen.Cli;

/// <summary>What the kpatch-build flow built: the patch result and the builds it came from.</summary>
/// <param name="PatchableBase">The patchable base of the first (or only) assembly the patch binds.</param>
/// <param name="LeftOut">Changed assemblies only test projects load, which the patch leaves out (<see cref="AssemblyChanges"/>).</param>
internal sealed record ProjectPatchResult(PatchBuildResult Patch, ProjectBuild Base, ProjectBuild New, string PatchableBase, IReadOnlyList<string> LeftOut);

/// <summary>
/// <c>patchgen build --project --diff</c>, the kpatch-build flow: builds the project as it is and
/// with the source diff applied (real <c>dotnet build</c>, Release, each from a fresh copy; see
/// <see cref="ProjectPatchBuilder"/>), makes the base build patchable exactly as production did
/// (instrumenting is deterministic, and the copies build with a path map to the original folder,
/// so a deterministic project rebuilds to the very bytes, and MVID, that production runs), then
/// builds the patch from the two. With an explicit production base the patch is bound to it instead.
/// <para>
/// A project's build brings the projects it references into its output folder. When the diff changes
/// some of them (a fix spanning a domain library and a web project, say), every assembly of the output
/// whose bytes the diff changed is one base of the patch: one patch, one transition, bound to each
/// (docs/patch-format.md, "Several assemblies"). Deterministic builds give an unchanged project the same
/// bytes, so only what the diff reached differs. So with several projects or a solution: the changed
/// assemblies of all their outputs but test projects' (<see cref="AssemblyChanges"/>).
/// </para>
/// It is the front end's orchestration of three stages that know nothing of each other (source
/// patching, the instrumenter, the emitter), so it lives here and not in any of them.
/// </summary>
internal static class ProjectPatchBuild
{
    /// <param name="productionBase">The patchable build production runs, if given; else the base is rebuilt and instrumented.</param>
    /// <param name="configure">Sets the patch ID, signing key and so on, given the options with base, new and output filled in.</param>
    public static ProjectPatchResult Build(ProjectPatchBuilder builder, string diffPath, string outputPath, string? productionBase = null, Func<PatchBuildOptions, PatchBuildOptions>? configure = null)
    {
        var (baseBuild, newBuild) = builder.Build(diffPath);
        var changes = AssemblyChanges.Between(baseBuild, newBuild);
        var changed = productionBase is null ? changes.Bases.ToList() : [];
        if (productionBase is not null || changed.Count == 0)
            changed = [(baseBuild.AssemblyPath, newBuild.AssemblyPath)];
        var pairs = changed.Select(c => new AssemblyPair(productionBase ?? Instrumented(builder, c.Base), c.New)).ToList();
        var options = new PatchBuildOptions(pairs[0].BasePath, pairs[0].NewPath, outputPath) { MorePairs = pairs.Skip(1).ToList() };
        var result = PatchBuilder.Build(configure is null ? options : configure(options));
        return new ProjectPatchResult(result, baseBuild, newBuild, pairs[0].BasePath, changes.LeftOut);
    }

    /// <summary>A base build's assembly made patchable, once per builder (every patch of one builder shares its base).</summary>
    private static string Instrumented(ProjectPatchBuilder builder, string assembly)
    {
        var path = Path.Combine(builder.WorkDirectory, "patchable", Path.GetFileName(assembly));
        lock (builder)
        {
            if (!File.Exists(path))
                AssemblyInstrumenter.Instrument(assembly, path, new InstrumentOptions { CopyRuntime = false });
        }
        return path;
    }
}
