namespace PatchGen.SourcePatching;

/// <summary>
/// One successful build of a copy of the project. <see cref="AssemblyPath"/> is the project's
/// output assembly (its <c>TargetPath</c>), with its PDB beside it; everything lives in the
/// builder's work folder until the builder is disposed.
/// </summary>
/// <param name="Label"><c>base</c>, or <c>new-N</c> for the N-th patched build.</param>
/// <param name="SourceDirectory">The copy of the source root that was built (patched for a new build).</param>
/// <param name="ProjectPath">The project file inside <paramref name="SourceDirectory"/>.</param>
/// <param name="AssemblyPath">The output assembly.</param>
/// <param name="LogPath">The build log (MSBuild's normal verbosity, then the console output).</param>
/// <param name="Duration">How long the copy, patch and build took.</param>
/// <param name="Application">What the diff changed; null for the base build.</param>
public sealed record ProjectBuild(
    string Label,
    string SourceDirectory,
    string ProjectPath,
    string AssemblyPath,
    string LogPath,
    TimeSpan Duration,
    DiffApplication? Application);
