using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PatchGen.Analyzers;
using PatchGen.Baseline;
using PatchGen.Diff.Baseline;

namespace PatchGen.Benchmarks.Baseline;

/// <summary>
/// The baseline manifest and the analyzer (docs/benchmarks.md, "Baseline manifest and analyzer"):
/// writing the manifest of the large real assembly (what <c>patchgen baseline</c> and the MSBuild
/// task pay per patchable build), and what the analyzer adds to a full semantic analysis of a
/// generated 1,500-type project, as a command-line build or an IDE's full-solution analysis pays it.
/// </summary>
[MemoryDiagnoser]
public class BaselineBenchmarks
{
    private const int Groups = 500;

    private SyntheticProject? _project;
    private AnalyzerOptions? _options;

    [GlobalSetup]
    public void Setup()
    {
        _project = SyntheticProject.Create(Groups);
        var manifest = BaselineText.Write(BaselineWriter.Describe(_project.AssemblyPath));
        _options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(
            new ManifestText(Path.Combine(_project.Directory, BaselineManifest.FileNameFor(SyntheticProject.AssemblyName)), manifest)));
        // A benchmark of an analyzer that silently found no manifest would measure nothing: prove it
        // reads this one (no finding on the build itself, exactly the added field on the edit).
        var unchanged = Analyze(_project.Compilation);
        var edited = Analyze(_project.WithAddedField());
        if (unchanged.Any(d => d.Id.StartsWith("PG", StringComparison.Ordinal)) || edited.Count(d => d.Id == "PG2001") != 1)
            throw new InvalidOperationException($"the analyzer does not see the manifest: {unchanged.Length} findings unchanged, {string.Join(", ", edited.Select(d => d.Id))} edited");
    }

    [GlobalCleanup]
    public void Cleanup() => _project?.Dispose();

    private SyntheticProject Project => _project ?? throw new InvalidOperationException("GlobalSetup has not run");

    /// <summary>The manifest of Microsoft.CodeAnalysis.CSharp 4.14.0 (no sources beside it: fingerprints are 'unknown').</summary>
    [Benchmark]
    public int WriteRoslynManifest() => BaselineText.Write(BaselineWriter.Describe(RealPair.BasePath)).Length;

    /// <summary>The manifest of the generated project, sources included (the fingerprints parse every file).</summary>
    [Benchmark]
    public int WriteSyntheticManifest() => BaselineText.Write(BaselineWriter.Describe(Project.AssemblyPath)).Length;

    /// <summary>Reference: the compiler's own full semantic analysis of a fresh copy of the project.</summary>
    [Benchmark(Baseline = true)]
    public int CompilerDiagnostics() => Project.Compilation.Clone().GetDiagnostics().Length;

    /// <summary>The same with an analyzer that visits every type and does nothing: the analyzer driver's own cost.</summary>
    [Benchmark]
    public int CompilerAndEmptyAnalyzerDiagnostics()
        => Project.Compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NamedTypeVisitor()), _options!)
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    /// <summary>The same with the PatchGen analyzer and the manifest: the difference is the analyzer's cost.</summary>
    [Benchmark]
    public int CompilerAndAnalyzerDiagnostics()
        => Project.Compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()), _options!)
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    private ImmutableArray<Diagnostic> Analyze(CSharpCompilation compilation)
        => compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()), _options!).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    private sealed class ManifestText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
