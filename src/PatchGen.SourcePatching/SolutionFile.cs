using Microsoft.VisualStudio.SolutionPersistence.Serializer;

namespace PatchGen.SourcePatching;

/// <summary>
/// The projects of a solution (<c>.sln</c>, or <c>.slnx</c>, which .NET 10's <c>dotnet new sln</c> writes),
/// read with the library Visual Studio and the dotnet CLI read them with, so that what <c>--project App.sln</c>
/// covers is exactly what <c>dotnet sln list</c> shows: every project listed, whatever solution folder or
/// build configuration it is in.
/// </summary>
internal static class SolutionFile
{
    public static readonly string[] Extensions = { ".sln", ".slnx" };

    public static bool IsSolutionFile(string path)
        => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Full paths of the solution's C#, F# and VB projects, in the solution's order; PG0001 when it cannot be read or lists none.</summary>
    public static IReadOnlyList<string> Projects(string solutionPath)
    {
        var serializer = SolutionSerializers.GetSerializerByMoniker(solutionPath)
            ?? throw SourcePatchError.Create(solutionPath, "not a solution file (.sln or .slnx)", solutionPath);
        Microsoft.VisualStudio.SolutionPersistence.Model.SolutionModel model;
        try
        {
            model = serializer.OpenAsync(solutionPath, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever the parser throws (an I/O error, a SolutionException, malformed XML) means the same to the user.
            throw SourcePatchError.Create(solutionPath, "the solution cannot be read: " + e.Message.ReplaceLineEndings(" "), solutionPath, inner: e);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(solutionPath))!;
        var projects = model.SolutionProjects
            .Select(p => Path.GetFullPath(Path.Combine(folder, p.FilePath.Replace('\\', Path.DirectorySeparatorChar))))
            .Where(ProjectOwnership.IsProjectFile)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (projects.Count == 0)
            throw SourcePatchError.Create(solutionPath, "the solution lists no C#, F# or Visual Basic project", solutionPath);
        foreach (var project in projects)
        {
            if (!File.Exists(project))
                throw SourcePatchError.Create(solutionPath, $"the solution lists {Path.GetRelativePath(folder, project)}, which does not exist", solutionPath);
        }
        return projects;
    }
}
