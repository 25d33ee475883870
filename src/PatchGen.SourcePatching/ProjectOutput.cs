namespace PatchGen.SourcePatching;

/// <summary>What one <c>dotnet build</c> of one project of a copy produced.</summary>
/// <param name="ProjectPath">The project file inside the copy.</param>
/// <param name="AssemblyPath">Its output assembly (its <c>TargetPath</c>), with the assemblies of the projects it references beside it.</param>
/// <param name="IsTestProject">MSBuild's <c>IsTestProject</c>, which the test SDKs set: its own assembly is never a base of a patch.</param>
public sealed record ProjectOutput(string ProjectPath, string AssemblyPath, bool IsTestProject);
