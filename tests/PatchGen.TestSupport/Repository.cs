using System.Reflection;

namespace PatchGen.TestSupport;

/// <summary>Where things are: the repository (for testdata) and the NuGet package folder (for real libraries).</summary>
public static class Repository
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string TestData => Path.Combine(Root, "testdata");

    public static string CasesDirectory => Path.Combine(TestData, "cases");

    public static string NuGetPackageRoot { get; } = Metadata("NuGetPackageRoot");

    private static string Metadata(string key)
        => typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException("missing build metadata " + key);
}
