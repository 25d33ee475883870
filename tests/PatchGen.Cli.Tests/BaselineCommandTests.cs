using PatchGen.Baseline;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen baseline &lt;app.dll&gt; -o &lt;manifest&gt;</c>, the command the MSBuild integration runs
/// after a patchable build: exit 0 and a complete manifest, or exit 2 with one PG0001 line and no file.
/// </summary>
public class BaselineCommandTests
{
    private const string Source = """
        namespace Shop;
        public class Cart
        {
            private static readonly decimal Rate = 0.2m;
            private int _count;
            public const int Limit = 10;
            public string Name { get; set; } = "";
            public int Total(int n = 3) => Price(n) * 2 + _count;
            private static int Price(int n) => (int)(n * (1 + Rate));
        }
        public enum Size { Small = 1, Large = 2 }
        """;

    private static string Compile(string name) => InlineAssembly.Compile(InlineAssembly.TempDirectory(name), "Shop", Source);

    [Fact]
    public void WritesTheManifestOfAPlainBuild()
    {
        var input = Compile("baseline-plain");
        var output = Path.Combine(Path.GetDirectoryName(input)!, "out", BaselineManifest.FileNameFor("Shop"));
        var outcome = CliRunner.Run("baseline", input, "-o", output);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.StdErr);

        var manifest = BaselineText.Read(File.ReadAllText(output));
        Assert.Equal("Shop", manifest.AssemblyName);
        Assert.Equal(ModuleMvid(input), manifest.Mvid);
        Assert.True(manifest.SourcesComplete);
        var cart = manifest.Types.Single(t => t.Id == "T:Shop.Cart");
        Assert.Matches("^[0-9a-f]{16}$", cart.StaticInitialization);
        Assert.Equal("P:Shop.Cart.Name", cart.Fields.Single(f => f.Name == "<Name>k__BackingField").ReportedId);
        Assert.Equal("Int32:10", cart.Fields.Single(f => f.Name == "Limit").Constant);
        var total = cart.Methods.Single(m => m.Id == "M:Shop.Cart.Total(System.Int32)");
        Assert.Equal("instance System.Int32(System.Int32)", total.Signature);
        Assert.Equal("Int32:3", total.Defaults.Single());
        Assert.Matches("^[0-9A-F]{64}$", total.BodyHash);
        var size = manifest.Types.Single(t => t.Id == "T:Shop.Size");
        Assert.Equal("System.Int32", size.EnumUnderlyingType);
        Assert.Equal(BaselineType.None, size.StaticInitialization);
        Assert.Equal("Int32:2", size.Fields.Single(f => f.Name == "Large").Constant);
        // Nothing left behind but the manifest itself.
        Assert.Equal(new[] { output }, Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void TheSameBuildGivesTheSameBytes()
    {
        var input = Compile("baseline-deterministic");
        var dir = Path.GetDirectoryName(input)!;
        Assert.Equal(0, CliRunner.Run("baseline", input, "-o", Path.Combine(dir, "a.txt")).ExitCode);
        Assert.Equal(0, CliRunner.Run("baseline", input, "-o", Path.Combine(dir, "b.txt")).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.txt")), File.ReadAllBytes(Path.Combine(dir, "b.txt")));
    }

    [Fact]
    public void AnInstrumentedBuildHasItsOwnMvidButThePlainBuildsBodyHashes()
    {
        var plain = Compile("baseline-instrumented");
        var dir = Path.GetDirectoryName(plain)!;
        var instrumented = Path.Combine(dir, "patchable", "Shop.dll");
        Assert.Equal(0, CliRunner.Run("instrument", plain, "-o", instrumented).ExitCode);
        Assert.Equal(0, CliRunner.Run("baseline", plain, "-o", Path.Combine(dir, "plain.txt")).ExitCode);
        Assert.Equal(0, CliRunner.Run("baseline", instrumented, "-o", Path.Combine(dir, "instrumented.txt")).ExitCode);

        var a = BaselineText.Read(File.ReadAllText(Path.Combine(dir, "plain.txt")));
        var b = BaselineText.Read(File.ReadAllText(Path.Combine(dir, "instrumented.txt")));
        Assert.NotEqual(a.Mvid, b.Mvid);
        Assert.Equal(ModuleMvid(instrumented), b.Mvid);
        // Apart from the MVID, the instrumented build is described exactly as the build it was made from.
        static string WithoutMvid(string path) => string.Join('\n', File.ReadAllLines(path).Where(l => !l.StartsWith("mvid\t", StringComparison.Ordinal)));
        Assert.Equal(WithoutMvid(Path.Combine(dir, "plain.txt")), WithoutMvid(Path.Combine(dir, "instrumented.txt")));
        Assert.DoesNotContain(b.Types, t => t.Id.Contains("PatchGen", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingSourcesAreRecordedAndTheirFingerprintsUnknown()
    {
        var input = Compile("baseline-nosources");
        var dir = Path.GetDirectoryName(input)!;
        File.Delete(Path.Combine(dir, "Shop.cs"));
        Assert.Equal(0, CliRunner.Run("baseline", input, "-o", Path.Combine(dir, "m.txt")).ExitCode);
        var manifest = BaselineText.Read(File.ReadAllText(Path.Combine(dir, "m.txt")));
        Assert.False(manifest.SourcesComplete);
        Assert.Equal(Path.Combine(dir, "Shop.cs"), Assert.Single(manifest.MissingSources));
        Assert.Equal(BaselineType.Unknown, manifest.Types.Single(t => t.Id == "T:Shop.Cart").StaticInitialization);
        // An enum has no static constructor: no static initialization, whatever the sources.
        Assert.Equal(BaselineType.None, manifest.Types.Single(t => t.Id == "T:Shop.Size").StaticInitialization);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not-an-assembly")]
    [InlineData("truncated")]
    public void BadInputIsOneLineAndWritesNothing(string kind)
    {
        var dir = InlineAssembly.TempDirectory("baseline-bad-" + kind);
        var input = Path.Combine(dir, "Shop.dll");
        if (kind == "not-an-assembly")
            File.WriteAllText(input, "hello");
        else if (kind == "truncated")
            File.WriteAllBytes(input, File.ReadAllBytes(Compile("baseline-truncate-src")).AsSpan(0, 700).ToArray());
        var output = Path.Combine(dir, "Shop.patchgen-baseline.txt");
        var outcome = CliRunner.Run("baseline", input, "-o", output);
        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines).TrimEnd('\r');
        Assert.StartsWith("patchgen: error PG0001: " + input + ": ", line);
        Assert.Equal("", outcome.StdOut);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(dir, ".*")));
    }

    [Fact]
    public void AnUnwritableOutputIsOneLineNamingIt()
    {
        var input = Compile("baseline-unwritable");
        var blocker = Path.Combine(Path.GetDirectoryName(input)!, "file");
        File.WriteAllText(blocker, "");
        var output = Path.Combine(blocker, "Shop.patchgen-baseline.txt");
        var outcome = CliRunner.Run("baseline", input, "-o", output);
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("patchgen: error PG0001: " + output + ": cannot be written", Assert.Single(outcome.ErrorLines));
    }

    [Fact]
    public void WithoutOutputItIsAUsageError()
    {
        var outcome = CliRunner.Run("baseline", "x.dll");
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("patchgen: error PG0001: patchgen baseline: ", Assert.Single(outcome.ErrorLines));
    }

    [Fact]
    public void HelpListsTheCommand()
    {
        var outcome = CliRunner.Run("--help");
        Assert.Contains("baseline", outcome.StdOut);
    }

    private static Guid ModuleMvid(string path)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }
}
