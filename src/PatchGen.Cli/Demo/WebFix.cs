using PatchGen.Diagnostics;
using PatchGen.Emit;

namespace PatchGen.Cli.Demo;

/// <summary>
/// One fix of the web sample, built: the projects it changes and the patch (<see cref="Patch"/>, one patch of
/// every assembly the fix changes; its <see cref="PatchBuildResult.OutputPath"/> is null when it is not
/// patchable), or the refusal that stopped it before any build (<see cref="Refusal"/>: PG0010 for a fix of a
/// project the web project does not build).
/// </summary>
/// <param name="Name">The file name in the sample's <c>fixes</c> folder, without <c>.patch</c>.</param>
/// <param name="Projects">The projects the fix changes, relative to the sample's folder.</param>
/// <param name="FixedApp">The fixed build's web assembly, to ask what the fix answers; null when refused.</param>
/// <param name="Builds">For each assembly the fix changes, its patchable v1 build and its fixed build: the patch's inputs; null when refused.</param>
internal sealed record WebFix(string Name, IReadOnlyList<string> Projects, PatchBuildResult? Patch, PatchDiagnostic? Refusal, string? FixedApp, IReadOnlyList<AssemblyPair>? Builds = null)
{
    /// <summary>The patch ID, as <c>patchgen list</c> shows it and <c>patchgen disable</c> takes it.</summary>
    public string PatchId => "webshop-" + Name;

    public string? PatchPath => Patch?.OutputPath;

    /// <summary>The options that build this fix's patch from <see cref="Builds"/> into <paramref name="outputPath"/>.</summary>
    public PatchBuildOptions BuildOptions(string outputPath, string patchId)
        => new(Builds![0].BasePath, Builds[0].NewPath, outputPath) { PatchId = patchId, MorePairs = Builds.Skip(1).ToArray() };
}
