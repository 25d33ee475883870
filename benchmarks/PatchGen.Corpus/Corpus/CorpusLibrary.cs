namespace PatchGen.Corpus.Corpus;

/// <summary>
/// One library of the corpus: where its history comes from, which commit the history is read back from (pinned,
/// so a rerun selects the same commits), and which project of it is built.
/// </summary>
/// <param name="Name">Short name, used in folders and the report.</param>
/// <param name="Repository">GitHub <c>owner/name</c>.</param>
/// <param name="Tip">The commit the selection walks back from: the snapshot measured.</param>
/// <param name="ProjectDirectory">The library project's folder, relative to the repository root.</param>
/// <param name="ProjectFile">The project file in it.</param>
/// <param name="AssemblyName">The assembly the project builds.</param>
internal sealed record CorpusLibrary(string Name, string Repository, string Tip, string ProjectDirectory, string ProjectFile, string AssemblyName)
{
    /// <summary>
    /// The corpus: three single-project libraries with few dependencies that restore from this machine's offline
    /// NuGet mirror. Tips are the snapshots measured in docs/benchmarks.md.
    /// </summary>
    public static IReadOnlyList<CorpusLibrary> All { get; } =
    [
        new("markdig", "xoofx/markdig", "fc705234fa211d179ee1d5e7656b51ab99f70ca9", "src/Markdig", "Markdig.csproj", "Markdig"),
        new("scriban", "scriban/scriban", "420513a9d017fa54b23ba78a9f21a12187a8dd97", "src/Scriban", "Scriban.csproj", "Scriban"),
        new("yamldotnet", "aaubry/YamlDotNet", "748334a8fa7c227740018b284b71ad95cc6b7fc7", "YamlDotNet", "YamlDotNet.csproj", "YamlDotNet"),
    ];
}
