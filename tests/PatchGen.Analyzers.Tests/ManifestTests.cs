using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using PatchGen.Baseline;
using PatchGen.TestSupport;

namespace PatchGen.Analyzers.Tests;

/// <summary>How the analyzer finds (or does not find) its manifest, and what it does without sources.</summary>
public class ManifestTests
{
    private const string V1 = "namespace Shop; public class Cart { private int _count; public int Count() => _count; }";
    private const string V2 = "namespace Shop; public class Cart { private int _count; private int _extra; public int Count() => _count + _extra; }";

    private static Compilation Compile(string source, string assemblyName = BaselineEdit.AssemblyName)
        => CaseCompiler.CreateCompilation(assemblyName, new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) });

    [Fact]
    public void TheManifestOfTheAssemblyIsUsed()
    {
        var diagnostics = AnalyzerRunner.Run(Compile(V2), BaselineEdit.Manifest(V1));
        Assert.Equal("PG2001 F:Shop.Cart._extra", Assert.Single(AnalyzerRunner.Keys(diagnostics)));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("Cart._extra adds a field to existing type Cart: live objects do not have it (attach the data with a shadow variable instead)", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WithoutAManifestNothingIsReported()
    {
        var compilation = Compile(V2);
        var withAnalyzers = compilation.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()));
        Assert.Empty(await withAnalyzers.GetAnalyzerDiagnosticsAsync());
    }

    [Fact]
    public void AManifestOfAnotherAssemblyIsNotUsed()
    {
        // Named for this assembly, but describing another: a copied or stale file.
        var manifest = BaselineEdit.Manifest(V1).Replace("assembly\tTestProject", "assembly\tOther");
        var diagnostics = AnalyzerRunner.Run(Compile(V2), manifest);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("PG0001", diagnostic.Id);
        Assert.Contains("describes assembly 'Other', not 'TestProject'", diagnostic.GetMessage());
    }

    [Fact]
    public void AManifestNamedForAnotherAssemblyIsIgnored()
    {
        var diagnostics = AnalyzerRunner.Run(Compile(V2), BaselineEdit.Manifest(V1), manifestFileName: BaselineManifest.FileNameFor("Other"));
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public void AnUnreadableManifestIsOneWarning(string kind)
    {
        var manifest = BaselineEdit.Manifest(V1);
        manifest = kind == "garbage" ? "hello" : manifest[..(manifest.Length / 2)];
        var diagnostics = AnalyzerRunner.Run(Compile(V2), manifest);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("PG0001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("not a readable PatchGen baseline manifest", diagnostic.GetMessage());
    }

    [Fact]
    public void WithoutSourcesStaticInitializationIsNotCompared()
    {
        const string v1 = "namespace Shop; public static class Tax { private static readonly decimal Rate = 0.20m; public static decimal Add(decimal n) => n * (1 + Rate); }";
        const string v2 = "namespace Shop; public static class Tax { private static readonly decimal Rate = 0.21m; public static decimal Add(decimal n) => n * (1 + Rate); }";
        var dir = InlineAssembly.TempDirectory("no-sources");
        var dll = InlineAssembly.Compile(dir, BaselineEdit.AssemblyName, v1);
        File.Delete(Path.Combine(dir, BaselineEdit.AssemblyName + ".cs"));
        var manifest = BaselineText.Write(PatchGen.Diff.Baseline.BaselineWriter.Describe(dll));
        Assert.Contains("sources\tincomplete", manifest);
        Assert.Empty(AnalyzerRunner.Run(Compile(v2), manifest));
        // With the sources, the same edit is PG2004.
        Assert.Equal("PG2004 M:Shop.Tax.#cctor", Assert.Single(AnalyzerRunner.Keys(AnalyzerRunner.Run(Compile(v2), BaselineEdit.Manifest(v1)))));
    }

    [Fact]
    public void TheManifestTextRoundTrips()
    {
        var text = BaselineEdit.Manifest("namespace Shop; public class Odd { public const string Tab = \"a\\tb\\\\c\\n\"; }");
        Assert.Equal(text, BaselineText.Write(BaselineText.Read(text)));
        Assert.Contains("String:\"a\\\\u0009b", text);
    }

    [Fact]
    public void SupportedDiagnosticsAreTheCataloguesWithItsTitles()
    {
        var supported = new BaselineAnalyzer().SupportedDiagnostics;
        var ids = supported.Select(d => d.Id).ToList();
        Assert.Equal(new[] { "PG1001", "PG1002", "PG1003", "PG1004", "PG1005", "PG1006", "PG2001", "PG2002", "PG2003", "PG2004", "PG2005", "PG2006", "PG2008", "PG0001" }, ids);
        foreach (var descriptor in supported)
        {
            var entry = PatchGen.Diagnostics.DiagnosticCatalog.Get(descriptor.Id);
            Assert.Equal(entry.Title, descriptor.Title.ToString());
            Assert.Equal(entry.MessageFormat, descriptor.MessageFormat.ToString());
            Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
        }
        Assert.DoesNotContain("PG2007", ids);
    }
}
