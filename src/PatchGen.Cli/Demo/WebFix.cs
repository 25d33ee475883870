using PatchGen.Diagnostics;
using PatchGen.Emit;

namespace PatchGen.Cli.Demo;

/// <summary>
/// One fix of the web sample, built: the project it changes and the patch (<see cref="Patch"/>, whose
/// <see cref="PatchBuildResult.OutputPath"/> is null when it is not patchable), or the refusal that
/// stopped it before any build (<see cref="Refusal"/>, PG0010 for a fix spanning two projects).
/// </summary>
/// <param name="Name">The file name in the sample's <c>fixes</c> folder, without <c>.patch</c>.</param>
/// <param name="Projects">The projects the fix changes, relative to the sample's folder.</param>
/// <param name="FixedApp">The fixed build's web assembly, to ask what the fix answers; null when refused.</param>
/// <param name="Builds">The patchable v1 build of the assembly the fix changes and its fixed build, the patch's inputs; null when refused.</param>
internal sealed record WebFix(string Name, IReadOnlyList<string> Projects, PatchBuildResult? Patch, PatchDiagnostic? Refusal, string? FixedApp, (string Base, string Fixed)? Builds = null)
{
    /// <summary>The patch ID, as <c>patchgen list</c> shows it and <c>patchgen disable</c> takes it.</summary>
    public string PatchId => "webshop-" + Name;

    public string? PatchPath => Patch?.OutputPath;
}
