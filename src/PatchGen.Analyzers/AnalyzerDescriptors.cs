using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Catalog = PatchGen.Diagnostics.DiagnosticCatalog;

namespace PatchGen.Analyzers;

/// <summary>
/// The analyzer's diagnostics: the catalogue's entries (IDs, titles, message formats) as Roslyn
/// descriptors, never re-typed. Severity is Warning, not the catalogue's Error: the analyzer
/// reads source against a manifest and can be wrong where only IL tells (docs/analyzer.md); the
/// IL diff of the patch build is authoritative and is what raises the errors.
/// </summary>
internal static class AnalyzerDescriptors
{
    public const string Category = "PatchGen";

    private static readonly PatchGen.Diagnostics.DiagnosticDescriptor[] Rules =
    {
        Catalog.SignatureChanged, Catalog.GenericsChanged, Catalog.DispatchLayoutChanged, Catalog.TypeShapeChanged,
        Catalog.InterfaceMembersChanged, Catalog.NoBodyToReplace,
        Catalog.FieldAdded, Catalog.FieldRemoved, Catalog.FieldChanged, Catalog.StaticInitializerChanged,
        Catalog.ConstantChanged, Catalog.LayoutChanged, Catalog.AutoPropertyAccessorChanged,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Rules.ToDictionary(r => r.Id, Create);

    /// <summary>A manifest that is there but cannot be read: said once, so the silence of the analyzer is not mistaken for a clean edit.</summary>
    public static readonly DiagnosticDescriptor ManifestUnreadable = new DiagnosticDescriptor(
        Catalog.InputUnreadable.Id, Catalog.InputUnreadable.Title, Catalog.InputUnreadable.MessageFormat, Category,
        DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "The PatchGen baseline manifest given as an AdditionalFiles item could not be read; the analyzer checks nothing until it can.",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ById.Values.OrderBy(d => d.Id).Append(ManifestUnreadable).ToImmutableArray();

    public static DiagnosticDescriptor For(PatchGen.Diagnostics.DiagnosticDescriptor rule) => ById[rule.Id];

    /// <summary>Whether the analyzer reports <paramref name="rule"/> (the shape rules also find PG3xxx caveats, which it leaves to the patch build).</summary>
    public static bool Supports(PatchGen.Diagnostics.DiagnosticDescriptor rule) => ById.ContainsKey(rule.Id);

    private static DiagnosticDescriptor Create(PatchGen.Diagnostics.DiagnosticDescriptor rule)
        => new DiagnosticDescriptor(rule.Id, rule.Title, rule.MessageFormat, Category,
            DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: "Under PatchGen's simple model this edit cannot be live-patched: " + rule.Title + ". The patch build's IL diff reports it as an error.");
}
