using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PatchGen.Baseline;

namespace PatchGen.Analyzers.Tests;

/// <summary>Runs the PatchGen analyzer on a compilation with a baseline manifest as its AdditionalFiles item, as a build does.</summary>
internal static class AnalyzerRunner
{
    /// <param name="model">The build's <c>&lt;PatchGenModel&gt;</c> as PatchGen.Build hands it to analyzers; null: not set.</param>
    public static ImmutableArray<Diagnostic> Run(Compilation compilation, string manifestText, string? manifestFileName = null, PatchGen.Diagnostics.PatchModel? model = null)
    {
        var file = new InMemoryAdditionalText(
            Path.Combine(Path.GetTempPath(), manifestFileName ?? BaselineManifest.FileNameFor(compilation.AssemblyName!)), manifestText);
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(file), new GlobalOptionsProvider(
            model is { } m ? new Dictionary<string, string> { [PatchGen.Diagnostics.PatchModels.AnalyzerConfigKey] = PatchGen.Diagnostics.PatchModels.Name(m) } : new Dictionary<string, string>()));
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()), options);
        return withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    /// <summary>"ID member" of each PG1xxx/PG2xxx diagnostic, the member being the documentation ID the diff engine reports it under.</summary>
    public static SortedSet<string> Keys(IEnumerable<Diagnostic> diagnostics)
        => new(diagnostics.Where(d => d.Id.StartsWith("PG1", StringComparison.Ordinal) || d.Id.StartsWith("PG2", StringComparison.Ordinal))
            .Select(d => d.Id + " " + (d.Properties.TryGetValue(DiagnosticProperties.Member, out var m) ? m : "-")), StringComparer.Ordinal);

    /// <summary>The build properties the compiler would hand every analyzer (build_property.*).</summary>
    private sealed class GlobalOptionsProvider(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            => values.TryGetValue(key, out value);
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
