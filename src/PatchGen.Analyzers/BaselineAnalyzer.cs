using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules;
using PatchGen.Rules.Types;

namespace PatchGen.Analyzers;

/// <summary>
/// Reports, while the user edits the next version of a patchable assembly, the PG1xxx and PG2xxx
/// diagnostics the diff engine will report for the patch build, at the edited syntax. It compares
/// each type of the compilation with the baseline manifest of the running build (an AdditionalFiles
/// item, <c>&lt;AssemblyName&gt;.patchgen-baseline.txt</c>) by the diff engine's own rules
/// (<see cref="ShapeRules"/> of PatchGen.Rules, over the type as <see cref="SymbolDescriber"/>
/// describes it). Without a manifest it does nothing. PG2007 (manifest
/// resources) is not reported: resources are not visible to an analyzer. See docs/analyzer.md.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BaselineAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<Microsoft.CodeAnalysis.DiagnosticDescriptor> SupportedDiagnostics => AnalyzerDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(Start);
        context.RegisterCompilationAction(ReportUnreadableManifest);
    }

    private static void Start(CompilationStartAnalysisContext context)
    {
        var found = ManifestLocator.Find(context.Options, context.Compilation.AssemblyName, context.CancellationToken);
        if (found?.Result.Manifest is not { } manifest)
            return;
        var types = new Dictionary<string, BaselineType>(StringComparer.Ordinal);
        foreach (var type in manifest.Types)
            types[type.Id] = type;
        var model = ModelOf(context.Options);
        bool hasFriends = context.Compilation.Assembly.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == WellKnownAttributes.InternalsVisibleTo);
        context.RegisterSymbolAction(c => AnalyzeType(c, manifest, types, model, hasFriends), SymbolKind.NamedType);
    }

    private static void ReportUnreadableManifest(CompilationAnalysisContext context)
    {
        var found = ManifestLocator.Find(context.Options, context.Compilation.AssemblyName, context.CancellationToken);
        if (found is { } f && f.Result.Error is { } error)
            context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.ManifestUnreadable, Location.None, f.Path, error));
    }

    /// <summary>
    /// The model of the build (<c>&lt;PatchGenModel&gt;</c>, made visible to analyzers by
    /// PatchGen.Build as <c>build_property.PatchGenModel</c>). A value that is not a model's name is
    /// read as the simple model, the stricter one: the patch build itself fails on it with PG0001.
    /// </summary>
    private static PatchModel ModelOf(AnalyzerOptions options)
        => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(PatchModels.AnalyzerConfigKey, out var text)
            && PatchModels.TryParse(text, out var model) ? model : PatchModel.Simple;

    private static void AnalyzeType(SymbolAnalysisContext context, BaselineManifest manifest, Dictionary<string, BaselineType> types, PatchModel model, bool hasFriends)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsImplicitlyDeclared && type.Name != "Program" || !type.Locations.Any(l => l.IsInSource))
            return;
        var id = type.GetDocumentationCommentId();
        if (id is null)
            return;
        var current = SymbolDescriber.Describe(type, context.Compilation, context.CancellationToken);
        var findings = new AnalyzerFindings(current, hasFriends);
        var rules = ShapeRules.ForEdit(findings, model);
        if (types.TryGetValue(id, out var baseline))
            rules.CompareTypes(baseline, current.Model);
        else
            ReportArityChanges(rules, type, current, manifest);
        foreach (var finding in findings.Findings)
            Report(context, finding);
    }

    /// <summary>
    /// A new type with the name, namespace and enclosing type of a baseline type that is gone, but
    /// another generic arity: <c>Box`1</c> became <c>Box`2</c>, reported under the old type (PG1002),
    /// as the diff engine reports it (the same rule, shown the types of the same name).
    /// </summary>
    private static void ReportArityChanges(ShapeRules rules, INamedTypeSymbol type, CurrentType current, BaselineManifest manifest)
    {
        var model = current.Model;
        var name = TypeArity.WithoutArity(model.Name);
        SortedDictionary<string, BaselineType>? siblings = null;
        foreach (var old in manifest.Types)
        {
            if (old.Namespace != model.Namespace || old.DeclaringTypeId != model.DeclaringTypeId || TypeArity.WithoutArity(old.Name) != name)
                continue;
            siblings ??= Siblings(type, model);
            rules.ReportArityChange(old, model, siblings);
        }
    }

    /// <summary>The types of the compilation's source with the name of <paramref name="type"/> in its namespace or enclosing type, by metadata name.</summary>
    private static SortedDictionary<string, BaselineType> Siblings(INamedTypeSymbol type, BaselineType model)
    {
        var siblings = new SortedDictionary<string, BaselineType>(StringComparer.Ordinal);
        foreach (var sibling in type.ContainingType?.GetTypeMembers(type.Name) ?? type.ContainingNamespace.GetTypeMembers(type.Name))
        {
            if (!sibling.Locations.Any(l => l.IsInSource))
                continue;
            var metadataName = SymbolSignatures.MetadataName(sibling);
            siblings[metadataName] = SymbolEqualityComparer.Default.Equals(sibling, type) ? model
                : new BaselineType { MetadataName = metadataName, Namespace = model.Namespace, DeclaringTypeId = model.DeclaringTypeId };
        }
        return siblings;
    }

    private static void Report(SymbolAnalysisContext context, Finding finding)
    {
        var location = finding.Location.IsInSource ? finding.Location : Location.None;
        context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.For(finding.Rule), location, finding.Properties, finding.Args));
    }
}
