namespace PatchGen.SourcePatching;

/// <summary>
/// One successful build of a copy of the source tree. <see cref="AssemblyPath"/> is the output assembly
/// (its <c>TargetPath</c>) of the first project built that is not a test project, with its PDB beside it;
/// <see cref="Outputs"/> has every project that was built (one for a project, several for a solution or
/// several projects). Everything lives in the builder's work folder until the builder is disposed.
/// </summary>
/// <param name="Label"><c>base</c>, or <c>new-N</c> for the N-th patched build.</param>
/// <param name="SourceDirectory">The copy of the source root that was built (patched for a new build).</param>
/// <param name="ProjectPath">The project file of <see cref="AssemblyPath"/> inside <paramref name="SourceDirectory"/>.</param>
/// <param name="AssemblyPath">The output assembly.</param>
/// <param name="LogPath">The build log (MSBuild's normal verbosity, then the console output) of the first project built.</param>
/// <param name="Duration">How long the copy, patch and builds took.</param>
/// <param name="Application">What the diff changed; null for the base build.</param>
/// <param name="Outputs">Each project built, in build order (see <see cref="ProjectPatchBuilder"/>).</param>
public sealed record ProjectBuild(
    string Label,
    string SourceDirectory,
    string ProjectPath,
    string AssemblyPath,
    string LogPath,
    TimeSpan Duration,
    DiffApplication? Application,
    IReadOnlyList<ProjectOutput> Outputs);
