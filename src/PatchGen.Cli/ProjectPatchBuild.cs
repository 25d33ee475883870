using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;

namespace PatchGen.Cli;

/// <summary>What the kpatch-build flow built: the patch result and the builds it came from.</summary>
internal sealed record ProjectPatchResult(PatchBuildResult Patch, ProjectBuild Base, ProjectBuild New, string PatchableBase);

/// <summary>
/// <c>patchgen build --project --diff</c>, the kpatch-build flow: builds the project as it is and
/// with the source diff applied (real <c>dotnet build</c>, Release, each from a fresh copy; see
/// <see cref="ProjectPatchBuilder"/>), makes the base build patchable exactly as production did
/// (instrumenting is deterministic, and the copies build with a path map to the original folder,
/// so a deterministic project rebuilds to the very bytes, and MVID, that production runs), then
/// builds the patch from the two. With an explicit production base the patch is bound to it instead.
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
        var patchable = productionBase ?? Instrumented(builder, baseBuild);
        var options = new PatchBuildOptions(patchable, newBuild.AssemblyPath, outputPath);
        var result = PatchBuilder.Build(configure is null ? options : configure(options));
        return new ProjectPatchResult(result, baseBuild, newBuild, patchable);
    }

    /// <summary>The base build made patchable, once per builder (every patch of one builder shares its base).</summary>
    private static string Instrumented(ProjectPatchBuilder builder, ProjectBuild baseBuild)
    {
        var path = Path.Combine(builder.WorkDirectory, "patchable", Path.GetFileName(baseBuild.AssemblyPath));
        lock (builder)
        {
            if (!File.Exists(path))
                AssemblyInstrumenter.Instrument(baseBuild.AssemblyPath, path, new InstrumentOptions { CopyRuntime = false });
        }
        return path;
    }
}
