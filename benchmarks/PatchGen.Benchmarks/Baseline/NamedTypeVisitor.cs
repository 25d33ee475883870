using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PatchGen.Benchmarks.Baseline;

/// <summary>
/// An analyzer that asks for every named type, as the PatchGen analyzer does, and does nothing with
/// it: what the compiler's analyzer driver costs by itself, to tell it from the PatchGen analyzer's own work.
/// </summary>
// Never loaded by a compiler (RS1036/RS1041 are about shipped analyzers): the benchmark hands it to CompilationWithAnalyzers itself.
#pragma warning disable RS1036, RS1041, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NamedTypeVisitor : DiagnosticAnalyzer
{
#pragma warning restore RS1036, RS1041
    private static readonly DiagnosticDescriptor Never = new("BENCH0001", "never reported", "never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);
#pragma warning restore RS2008

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
    }
}
