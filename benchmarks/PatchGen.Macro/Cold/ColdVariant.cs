namespace PatchGen.Macro.Cold;

/// <summary>
/// One kind of cold process: <c>dotnet &lt;arguments&gt;</c> with extra environment variables, and the exit code it
/// must end with. Variants of one <see cref="Comparison"/> must print the same standard output.
/// </summary>
internal sealed record ColdVariant(string Name, string Comparison, IReadOnlyList<string> Arguments, int ExpectedExitCode,
    IReadOnlyDictionary<string, string> Environment);
