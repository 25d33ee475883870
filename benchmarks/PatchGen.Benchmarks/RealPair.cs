using System.Reflection;

namespace PatchGen.Benchmarks;

/// <summary>The large real pair: two releases of Microsoft.CodeAnalysis.CSharp (lib/net8.0, ~6.7 MB each).</summary>
internal static class RealPair
{
    public const string BaseVersion = "4.14.0";
    public const string NewVersion = "5.0.0";

    public static string BasePath => PathOf(BaseVersion);

    public static string NewPath => PathOf(NewVersion);

    private static string PathOf(string version)
    {
        var root = typeof(RealPair).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value
            ?? throw new InvalidOperationException("missing build metadata NuGetPackageRoot");
        var path = Path.Combine(root, "microsoft.codeanalysis.csharp", version, "lib", "net8.0", "Microsoft.CodeAnalysis.CSharp.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("run 'dotnet restore' first: the PackageDownload puts it there", path);
    }
}
