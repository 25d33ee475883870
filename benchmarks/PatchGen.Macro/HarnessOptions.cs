using System.Globalization;

namespace PatchGen.Macro;

/// <summary>The command line: <c>&lt;command&gt; [--quick] [--seed N] [--only a,b] [--rounds N] [--launches N] [--connections N] [--fix NAME] [--work DIR] [--keep] [--variant NAME] [--threads N] [--ways a,b] [--baseline DIR]</c>.</summary>
internal sealed record HarnessOptions
{
    public required string Command { get; init; }

    /// <summary>Smoke-test sizes: short warm-up, few rounds; the figures are not meant to be quoted.</summary>
    public bool Quick { get; init; }

    /// <summary>Seeds the variant order of every round and the bootstrap (printed, so a run can be repeated).</summary>
    public int Seed { get; init; }

    /// <summary>Workload names to run (all when empty).</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public int? Rounds { get; init; }

    public int? Connections { get; init; }

    /// <summary>How many measuring processes (libs) or blocks of fresh servers (web).</summary>
    public int? Launches { get; init; }

    /// <summary>The fix of testdata/apps/ShopService/fixes that the patched variant runs.</summary>
    public string Fix { get; init; } = "tax-reduced-rate";

    public string? WorkDirectory { get; init; }

    public bool Keep { get; init; }

    /// <summary>
    /// libs only: a fourth copy of each library, instrumented with other options than the defaults, measured in the
    /// same rounds (<c>no-clones</c>: site format 3, no inline clones; <c>clones</c>: clones of methods up to 32 bytes of
    /// IL only; <c>clones-ctors</c>: and of constructors up to 32 bytes; docs/benchmarks.md, "Inline clones";
    /// <c>clones-no-final</c>, <c>clones-no-eh</c>, <c>clones-no-final-eh</c>: the default without clones of final
    /// virtual methods, of bodies with exception handlers, or of either, the rule before them; <c>clones-192</c>,
    /// <c>clones-256</c>, <c>clones-1024</c>: clones up to that many bytes of IL, 1,024 being the JIT's inlining limit with
    /// profile data; <c>no-outlining</c>: the default without outlined bodies (site format 4, the default before them);
    /// <c>outlined-bodies</c>, <c>outlined-nonvirtual</c>: measurements only, bodies over 128 bytes moved into site-less
    /// clones their sited forwarders call (<c>outlined-forwarded</c>: the default; <c>outlined-aggressive</c>: the default
    /// with its forwarders marked AggressiveInlining); docs/benchmarks.md, "Checks left in
    /// inlined copies", "What a large method costs"; <c>out-of-line-stubs</c>: the default without the steady
    /// dispatch stubs the JIT inlines into the dispatch blocks; docs/benchmarks.md, "Per call").
    /// </summary>
    public string? Variant { get; init; }

    /// <summary>pauses: busy threads in the child.</summary>
    public int? Threads { get; init; }

    /// <summary>pauses: the stack-snapshot ways to run a child with (<c>default</c>, <c>server</c>); default only when empty.</summary>
    public IReadOnlyList<string> Ways { get; init; } = [];

    /// <summary>
    /// cold only: a folder holding another checkout's published tool (<c>patchgen.dll</c>), measured against this
    /// checkout's shipped tool in the same rounds, with a byte-identical copy of it as the A/A control (docs/benchmarks.md, "Cold start").
    /// </summary>
    public string? Baseline { get; init; }

    /// <summary>The arguments after the command, for child modes.</summary>
    public IReadOnlyList<string> Rest { get; init; } = [];

    public bool Includes(string workload) => Only.Count == 0 || Only.Contains(workload);

    public static HarnessOptions Parse(string[] args)
    {
        if (args.Length == 0)
            throw new ArgumentException("no command");
        var options = new HarnessOptions { Command = args[0], Seed = Environment.TickCount & 0x7fffffff };
        var rest = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--only" => options with { Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--rounds" => options with { Rounds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--connections" => options with { Connections = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--launches" => options with { Launches = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--fix" => options with { Fix = Value() },
                "--work" => options with { WorkDirectory = Value() },
                "--keep" => options with { Keep = true },
                "--variant" => options with { Variant = Value() },
                "--threads" => options with { Threads = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--ways" => options with { Ways = Value().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--baseline" => options with { Baseline = Value() },
                _ when args[i].StartsWith("--", StringComparison.Ordinal) => throw new ArgumentException("unknown option " + args[i]),
                _ => AddRest(options, rest, args[i]),
            };
        }
        return options with { Rest = rest };
    }

    private static HarnessOptions AddRest(HarnessOptions options, List<string> rest, string arg)
    {
        rest.Add(arg);
        return options;
    }

    /// <summary>The command that reproduces this run (seed included).</summary>
    public string CommandLine(bool withSeed = true)
    {
        var parts = new List<string> { "dotnet run --project benchmarks/PatchGen.Macro -c Release --", Command };
        if (Quick) parts.Add("--quick");
        if (Only.Count > 0) parts.Add("--only " + string.Join(',', Only.Order(StringComparer.Ordinal)));
        if (Rounds is int r) parts.Add("--rounds " + r.ToString(CultureInfo.InvariantCulture));
        if (Connections is int c) parts.Add("--connections " + c.ToString(CultureInfo.InvariantCulture));
        if (Launches is int l) parts.Add("--launches " + l.ToString(CultureInfo.InvariantCulture));
        if (Fix != "tax-reduced-rate") parts.Add("--fix " + Fix);
        if (Variant is not null) parts.Add("--variant " + Variant);
        if (Threads is int t) parts.Add("--threads " + t.ToString(CultureInfo.InvariantCulture));
        if (Ways.Count > 0) parts.Add("--ways " + string.Join(',', Ways));
        if (Baseline is not null) parts.Add("--baseline " + Baseline);
        if (withSeed) parts.Add("--seed " + Seed.ToString(CultureInfo.InvariantCulture));
        return string.Join(' ', parts);
    }
}
