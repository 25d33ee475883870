using PatchGen.Cli.Startup;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// The tool's process runs <c>diff</c>, <c>build</c> and <c>instrument</c> inside a GC no-collection region
/// (<see cref="CollectionFreeRun"/>, docs/cli.md "Startup"): which commands, what size, and that the region changes
/// nothing a command writes, with it, without it, and where the GC cannot promise it.
/// </summary>
public class CollectionFreeRunTests
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    public static TheoryData<string, string?, long, long?> Sizes => new()
    {
        // command, PATCHGEN_GC_REGION_MB, memory the GC may use, the region's size
        { "diff", null, 24 * GiB, GiB },            // a quarter of 24 GiB is over the cap
        { "build", null, 2 * GiB, 512 * MiB },      // a container of 2 GiB: a quarter
        { "instrument", null, 300 * MiB, 75 * MiB },
        { "diff", null, 200 * MiB, null },          // a quarter under 64 MiB: none
        { "diff", "256", 24 * GiB, 256 * MiB },     // the variable decides
        { "diff", "0", 24 * GiB, null },            // 0 turns it off
        { "diff", "lots", 24 * GiB, null },         // not a number: off, not a guess
        { "diff", "-5", 24 * GiB, null },
        { "apply", null, 24 * GiB, null },          // a live command runs as long as it likes: never
        { "demo", null, 24 * GiB, null },
        { "--help", null, 24 * GiB, null },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TheRegionIsAQuarterOfTheMemoryAtMostOneGiBForTheCommandsThatReadAssemblies(string command, string? variable, long available, long? expected)
        => Assert.Equal(expected, CollectionFreeRun.Sizing([command], variable, available));

    [Fact]
    public void NoArgumentsNoRegion() => Assert.Null(CollectionFreeRun.Sizing([], null, 24 * GiB));

    [Fact]
    public void ADiffWritesTheSameReportWithTheRegionWithoutItAndWhereTheGcCannotPromiseIt()
    {
        var dir = InlineAssembly.TempDirectory("gc-region");
        const string V1 = "namespace Shop; public class Cart { private int _n; public int Total(int p) { return p * _n; } public string Name() => \"cart\"; }";
        var v1 = InlineAssembly.Compile(Path.Combine(dir, "v1"), "Shop", V1);
        var v2 = InlineAssembly.Compile(Path.Combine(dir, "v2"), "Shop", V1.Replace("p * _n;", "p * _n + 1;"));

        var settings = new[]
        {
            new Dictionary<string, string>(),                                   // the default: a region of up to 1 GiB
            new Dictionary<string, string> { ["PATCHGEN_GC_REGION_MB"] = "0" }, // none
            // 1 GiB asked of a GC held to 256 MiB: TryStartNoGCRegion says no, and the diff runs without.
            new Dictionary<string, string> { ["PATCHGEN_GC_REGION_MB"] = "1024", ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
        };
        var outcomes = settings.Select(environment => CliRunner.RunProcessWith(environment, "diff", v1, v2, "--json")).ToList();

        Assert.All(outcomes, outcome => Assert.True(outcome.ExitCode == 0, outcome.StdOut + outcome.StdErr));
        Assert.All(outcomes, outcome => Assert.Equal("", outcome.StdErr));
        Assert.Contains("M:Shop.Cart.Total(System.Int32)", outcomes[0].StdOut);
        Assert.All(outcomes, outcome => Assert.Equal(outcomes[0].StdOut, outcome.StdOut));
    }
}
