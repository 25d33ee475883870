using System.Globalization;
using System.Reflection;

namespace PatchGen.Corpus;

/// <summary>
/// The command line: <c>[--prepare] [--only a,b] [--per-library N] [--work DIR] [--mirror DIR] [--patchgen DLL] [--report FILE]</c>.
/// </summary>
internal sealed record CorpusOptions
{
    /// <summary>Select and build only (fills the cache), no patchgen run.</summary>
    public bool PrepareOnly { get; init; }

    /// <summary>Library names to run (all when empty).</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    /// <summary>The newest this many selected commits of each library.</summary>
    public int PerLibrary { get; init; } = 25;

    /// <summary>Builds, instrumented bases, results: kept between runs, so a rerun is fast.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(RepoRoot, "artifacts", "corpus");

    /// <summary>Where bare repositories are looked for first (<c>owner+name/repo</c>); others are cloned.</summary>
    public string MirrorDirectory { get; init; } = Environment.GetEnvironmentVariable("PATCHGEN_CORPUS_MIRROR") ?? "/work/.mirror";

    /// <summary>A built patchgen.dll to run instead of building src/PatchGen.Cli of this checkout.</summary>
    public string? PatchgenDll { get; init; }

    /// <summary>Where the Markdown report is written (default: report.md in the work folder).</summary>
    public string? ReportFile { get; init; }

    public static string RepoRoot
        => typeof(CorpusOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value
           ?? throw new InvalidOperationException("missing build metadata RepoRoot");

    public bool Includes(string library) => Only.Count == 0 || Only.Contains(library);

    public static CorpusOptions Parse(string[] args)
    {
        var options = new CorpusOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
            options = args[i] switch
            {
                "--prepare" => options with { PrepareOnly = true },
                "--only" => options with { Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--per-library" => options with { PerLibrary = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--work" => options with { WorkDirectory = Path.GetFullPath(Value()) },
                "--mirror" => options with { MirrorDirectory = Path.GetFullPath(Value()) },
                "--patchgen" => options with { PatchgenDll = Path.GetFullPath(Value()) },
                "--report" => options with { ReportFile = Path.GetFullPath(Value()) },
                _ => throw new ArgumentException("unknown argument " + args[i]),
            };
        }
        return options;
    }
}
