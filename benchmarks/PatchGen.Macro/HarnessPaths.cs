using System.Reflection;

namespace PatchGen.Macro;

/// <summary>Where the harness finds the repository and the shipped libraries (recorded at build time).</summary>
internal static class HarnessPaths
{
    public static string RepoRoot => Metadata("RepoRoot");

    public static string NewtonsoftJsonDll => PackageDll(Metadata("NewtonsoftJsonPackage"), "Newtonsoft.Json.dll");

    public static string MarkdigDll => PackageDll(Metadata("MarkdigPackage"), "Markdig.dll");

    /// <summary>The recursive methods of the stack measurement, as built beside the harness.</summary>
    public static string RecursionDll => Path.Combine(AppContext.BaseDirectory, "PatchGen.Macro.Recursion.dll");

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static string CliProject => Path.Combine(RepoRoot, "src", "PatchGen.Cli");

    /// <summary>
    /// Microsoft.CodeAnalysis.CSharp.dll (lib/net8.0, ~6.7 MB, PDB beside it) of a release the PackageDownload
    /// fetched: the large real pair of docs/benchmarks.md is 4.14.0 → 5.0.0.
    /// </summary>
    public static string RoslynCSharpDll(string version)
    {
        var path = Path.Combine(Metadata("NuGetPackageRoot"), "microsoft.codeanalysis.csharp", version, "lib", "net8.0", "Microsoft.CodeAnalysis.CSharp.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("run 'dotnet restore' first: the PackageDownload puts it there", path);
    }

    /// <summary>
    /// The DLL the .NET 10 host would pick from a package: the highest <c>lib/netN.0</c> with N ≤ 10, else
    /// <c>lib/netstandard2.x</c>.
    /// </summary>
    private static string PackageDll(string packageRoot, string fileName)
    {
        var lib = Path.Combine(packageRoot, "lib");
        var candidates = Directory.GetDirectories(lib)
            .Select(d => (Dir: d, Rank: Rank(Path.GetFileName(d))))
            .Where(c => c.Rank > 0 && File.Exists(Path.Combine(c.Dir, fileName)))
            .OrderByDescending(c => c.Rank)
            .ToList();
        if (candidates.Count == 0)
            throw new FileNotFoundException($"no usable {fileName} under {lib}");
        return Path.Combine(candidates[0].Dir, fileName);
    }

    private static double Rank(string tfm)
    {
        if (tfm.StartsWith("netstandard2.", StringComparison.Ordinal) && double.TryParse(tfm["netstandard".Length..], System.Globalization.CultureInfo.InvariantCulture, out var s))
            return s - 1.5; // 0.5 / 0.6: below every netN.0
        if (tfm.StartsWith("net", StringComparison.Ordinal) && tfm.EndsWith(".0", StringComparison.Ordinal)
            && int.TryParse(tfm[3..^2], System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 5 and <= 10)
            return n;
        return -1;
    }

    private static string Metadata(string key)
        => typeof(HarnessPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException("missing build metadata " + key);
}
