using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary><c>patchgen instrument</c>: a one-line summary on success, one-line PG0001 errors (exit 2) otherwise.</summary>
public class InstrumentCommandTests
{
    private const string Source = """
        namespace Shop;
        public class Cart
        {
            public int Total(int n) => Price(n) * 2;
            private static int Price(int n) => n + 1;
            static Cart() { }
        }
        """;

    private static string Compile(string name) => InlineAssembly.Compile(InlineAssembly.TempDirectory(name), "Shop", Source);

    [Fact]
    public void WritesTheOutputAndASummary()
    {
        var input = Compile("instrument-o");
        var output = Path.Combine(Path.GetDirectoryName(input)!, "out", "Shop.dll");
        var outcome = CliRunner.Run("instrument", input, "-o", output);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.StdErr);
        var line = Assert.Single(outcome.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Three signatures, each with its steady stub and its full one (docs/patch-sites.md, "Steady stubs").
        Assert.Contains("3 patch sites, 6 dispatch stubs, 1 methods without a site", line);
        Assert.True(File.Exists(output));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(output)!, "PatchGen.Runtime.dll")));
    }

    [Fact]
    public void NoSteadyStubsWritesOneFullStubPerSignature()
    {
        var input = Compile("instrument-no-steady");
        var output = Path.Combine(Path.GetDirectoryName(input)!, "out", "Shop.dll");
        var outcome = CliRunner.Run("instrument", input, "-o", output, "--no-steady-stubs");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.StdErr);
        Assert.Contains("3 patch sites, 3 dispatch stubs, 1 methods without a site", outcome.StdOut);
    }

    [Fact]
    public void NoRuntimeCopyLeavesTheFolderAndDepsJsonToTheBuild()
    {
        // What PatchGen.Build asks for: the PatchGen.Runtime package already supplies the runtime.
        var input = Compile("instrument-no-runtime");
        var directory = Path.GetDirectoryName(input)!;
        var deps = Path.Combine(directory, "Shop.deps.json");
        File.WriteAllText(deps, "{}");
        var outcome = CliRunner.Run("instrument", input, "--no-runtime-copy");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.StdErr);
        Assert.Contains("patch sites", outcome.StdOut);
        Assert.False(File.Exists(Path.Combine(directory, "PatchGen.Runtime.dll")));
        Assert.False(File.Exists(Path.Combine(directory, "PatchGen.Diagnostics.dll")));
        Assert.Equal("{}", File.ReadAllText(deps));
    }

    [Fact]
    public void WithoutOutputInstrumentsInPlaceAndRefusesASecondTime()
    {
        var input = Compile("instrument-inplace");
        Assert.Equal(0, CliRunner.Run("instrument", input).ExitCode);
        var before = File.ReadAllBytes(input);
        var again = CliRunner.Run("instrument", input);
        Assert.Equal(2, again.ExitCode);
        var line = Assert.Single(again.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: " + input + ": already instrumented", line);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void MissingInputIsOneLine()
    {
        var missing = Path.Combine(InlineAssembly.TempDirectory("instrument-missing"), "nope.dll");
        var outcome = CliRunner.Run("instrument", missing);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"patchgen: error PG0001: {missing}: file not found", Assert.Single(outcome.ErrorLines).TrimEnd('\r'));
        Assert.Equal("", outcome.StdOut);
    }

    [Fact]
    public void TheInstalledToolInstrumentsAnAssemblyThatStillRuns()
    {
        var input = Compile("instrument-process");
        var outcome = CliRunner.RunProcess("instrument", input);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("patch sites", outcome.StdOut);
        var context = new System.Runtime.Loader.AssemblyLoadContext("instrumented-cli", isCollectible: true);
        var cart = context.LoadFromAssemblyPath(input).GetType("Shop.Cart", true)!;
        Assert.Equal(8, cart.GetMethod("Total")!.Invoke(Activator.CreateInstance(cart), new object[] { 3 }));
    }
}
