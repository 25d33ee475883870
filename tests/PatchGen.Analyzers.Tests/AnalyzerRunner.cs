using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PatchGen.Baseline;

namespace PatchGen.Analyzers.Tests;

/// <summary>Runs the PatchGen analyzer on a compilation with a baseline manifest as its AdditionalFiles item, as a build does.</summary>
internal static class AnalyzerRunner
{
    public static ImmutableArray<Diagnostic> Run(Compilation compilation, string manifestText, string? manifestFileName = null)
    {
        var file = new InMemoryAdditionalText(
            Path.Combine(Path.GetTempPath(), manifestFileName ?? BaselineManifest.FileNameFor(compilation.AssemblyName!)), manifestText);
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(file));
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()), options);
        return withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    /// <summary>"ID member" of each PG1xxx/PG2xxx diagnostic, the member being the documentation ID the diff engine reports it under.</summary>
    public static SortedSet<string> Keys(IEnumerable<Diagnostic> diagnostics)
        => new(diagnostics.Where(d => d.Id.StartsWith("PG1", StringComparison.Ordinal) || d.Id.StartsWith("PG2", StringComparison.Ordinal))
            .Select(d => d.Id + " " + (d.Properties.TryGetValue(DiagnosticProperties.Member, out var m) ? m : "-")), StringComparer.Ordinal);

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
