using System.Text.Json;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>The <c>diff</c> command's contract (docs/cli.md): exit codes, the JSON schema, determinism.</summary>
public class DiffCommandTests
{
    private const string CartV1 = """
        namespace Shop;
        public class Cart
        {
            private int _count;
            public int Total(int price)
            {
                return price * _count;
            }
        }
        """;

    private static (string V1, string V2) Build(string v2Source, string v1Source = CartV1)
    {
        var dir = InlineAssembly.TempDirectory("diff");
        return (InlineAssembly.Compile(Path.Combine(dir, "v1"), "Shop", v1Source),
                InlineAssembly.Compile(Path.Combine(dir, "v2"), "Shop", v2Source));
    }

    [Fact]
    public void BodyChangeExitsZeroAndReportsTheMemberInJson()
    {
        var (v1, v2) = Build(CartV1.Replace("price * _count;", "price * _count + 1;"));

        var outcome = CliRunner.Run("diff", v1, v2, "--json");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.StdErr);
        using var json = JsonDocument.Parse(outcome.StdOut);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal(v1, root.GetProperty("base").GetProperty("path").GetString());
        Assert.Equal("Shop", root.GetProperty("base").GetProperty("name").GetString());
        Assert.False(root.GetProperty("base").GetProperty("patchable").GetBoolean());
        Assert.True(Guid.TryParse(root.GetProperty("new").GetProperty("mvid").GetString(), out _));
        Assert.True(root.GetProperty("patchable").GetBoolean());
        var change = Assert.Single(root.GetProperty("changes").EnumerateArray());
        Assert.Equal("M:Shop.Cart.Total(System.Int32)", change.GetProperty("member").GetString());
        Assert.Equal("bodyChanged", change.GetProperty("kind").GetString());
        // The base is not instrumented: PG0003 is a warning for diff, and does not make it unpatchable.
        var pg0003 = root.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "PG0003");
        Assert.Equal("warning", pg0003.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, pg0003.GetProperty("member").ValueKind);
    }

    [Fact]
    public void DiagnosticsCarryTheSourceLineFromThePdb()
    {
        var (v1, v2) = Build(CartV1.Replace("private int _count;", "private int _count;\n    private int _discount;"));

        var outcome = CliRunner.Run("diff", v1, v2, "--json");

        Assert.Equal(1, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.StdOut);
        var pg2001 = json.RootElement.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "PG2001");
        Assert.Equal("F:Shop.Cart._discount", pg2001.GetProperty("member").GetString());
        Assert.Equal("error", pg2001.GetProperty("severity").GetString());
        Assert.Equal(5, pg2001.GetProperty("line").GetInt32());
        Assert.EndsWith("Shop.cs", pg2001.GetProperty("file").GetString());
        Assert.Contains("Cart._discount", pg2001.GetProperty("message").GetString());
        Assert.False(json.RootElement.GetProperty("patchable").GetBoolean());
    }

    [Fact]
    public void CommentOnlyEditExitsThreeWithNothingToPatch()
    {
        var (v1, v2) = Build(CartV1.Replace("return price * _count;", "// the total is price times count\n        return price * _count;"));

        var outcome = CliRunner.Run("diff", v1, v2);

        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("PG0007", outcome.StdOut);
        Assert.Contains("nothing to patch", outcome.StdOut);
    }

    [Fact]
    public void TextReportUsesMsBuildCanonicalFormAndStatesTheVerdict()
    {
        var (v1, v2) = Build(CartV1.Replace("private int _count;", "private int _count;\n    private int _discount;"));

        var outcome = CliRunner.Run("diff", v1, v2);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Matches(@"Shop\.cs\(5\): error PG2001: ", outcome.StdOut);
        Assert.Contains("Verdict: NOT patchable", outcome.StdOut);
    }

    [Fact]
    public void FullPathsNameTheFileAsItIsOnDisk_NotRelativeToItsProject()
    {
        var (v1, v2) = Build(CartV1.Replace("private int _count;", "private int _count;\n    private int _discount;"));
        var source = Path.Combine(Path.GetDirectoryName(v2)!, "Shop.cs");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(v2)!, "Shop.csproj"), "<Project />");

        var relative = CliRunner.Run("diff", v1, v2);
        var full = CliRunner.Run("diff", v1, v2, "--full-paths");

        Assert.Matches(@"(?m)^  Shop\.cs\(5\): error PG2001: ", relative.StdOut);
        Assert.Contains("  " + source + "(5): error PG2001: ", full.StdOut);
    }

    [Fact]
    public void PathMapFindsTheSourcesOfADeterministicBuild()
    {
        // A CI build compiles with -pathmap:<dir>/=/_/ : its PDB names /_/Shop.cs, which is nowhere on disk.
        var dir = InlineAssembly.TempDirectory("diff-pathmap");
        var v1 = InlineAssembly.Compile(Path.Combine(dir, "v1"), "Shop", CartV1);
        var v2Dir = Path.Combine(dir, "v2");
        Directory.CreateDirectory(v2Dir);
        var source = CartV1.Replace("private int _count;", "private int _count;\n    private int _discount;");
        File.WriteAllText(Path.Combine(v2Dir, "Shop.cs"), source);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, path: "/_/Shop.cs", encoding: System.Text.Encoding.UTF8);
        var v2 = Path.Combine(v2Dir, "Shop.dll");
        using (var pe = File.Create(v2))
        using (var pdb = File.Create(Path.ChangeExtension(v2, ".pdb")))
        {
            var emitted = CaseCompiler.CreateCompilation("Shop", new[] { tree }).Emit(pe, pdb,
                options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb, pdbFilePath: "Shop.pdb"));
            Assert.True(emitted.Success);
        }

        var unmapped = CliRunner.Run("diff", v1, v2, "--full-paths");
        var mapped = CliRunner.Run("diff", v1, v2, "--full-paths", "--path-map", v2Dir + Path.DirectorySeparatorChar + "=/_/");

        Assert.Contains("  patchgen: error PG2001: Cart._discount", unmapped.StdOut); // the declaration could not be read
        Assert.Contains("  " + Path.Combine(v2Dir, "Shop.cs") + "(5): error PG2001: Cart._discount", mapped.StdOut);
    }

    [Fact]
    public void JsonIsByteIdenticalAcrossRunsAndSorted()
    {
        var (v1, v2) = Build("""
            namespace Shop;
            public class Cart
            {
                private int _count;
                private int _z;
                public int Total(int price) { return price * _count - 1; }
                public int Added() => 1;
                public int AlsoAdded() => 2;
            }
            public class Another { }
            """);

        var first = CliRunner.Run("diff", v1, v2, "--json").StdOut;
        var second = CliRunner.Run("diff", v1, v2, "--json").StdOut;

        Assert.Equal(first, second);
        using var json = JsonDocument.Parse(first);
        var members = json.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("member").GetString()!).ToList();
        Assert.Equal(members.OrderBy(m => m, StringComparer.Ordinal), members);
        var diagnostics = json.RootElement.GetProperty("diagnostics").EnumerateArray()
            .Select(d => (d.GetProperty("member").GetString() ?? "", d.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(diagnostics.OrderBy(d => d.Item1, StringComparer.Ordinal).ThenBy(d => d.Item2, StringComparer.Ordinal), diagnostics);
    }

    [Fact]
    public void MissingSymbolsGivePg0004AndNullLocations()
    {
        var dir = InlineAssembly.TempDirectory("nopdb");
        var v1 = InlineAssembly.Compile(Path.Combine(dir, "v1"), "Shop", CartV1, withPdb: false);
        var v2 = InlineAssembly.Compile(Path.Combine(dir, "v2"), "Shop", CartV1.Replace("* _count;", "* _count * 2;"), withPdb: false);

        var outcome = CliRunner.Run("diff", v1, v2, "--json");

        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.StdOut);
        var diagnostics = json.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(2, diagnostics.Count(d => d.GetProperty("id").GetString() == "PG0004"));
        Assert.All(diagnostics, d => Assert.Equal(JsonValueKind.Null, d.GetProperty("file").ValueKind));
    }

    [Fact]
    public void HelpListsTheCommandAndExitsZero()
    {
        var outcome = CliRunner.Run("diff", "--help");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("--json", outcome.StdOut);
    }
}
