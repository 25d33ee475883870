using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Analyzers
{
    /// <summary>
    /// Reports, while the user edits the next version of a patchable assembly, the PG1xxx and PG2xxx
    /// diagnostics the diff engine will report for the patch build, at the edited syntax. It compares
    /// each type of the compilation with the baseline manifest of the running build (an AdditionalFiles
    /// item, <c>&lt;AssemblyName&gt;.patchgen-baseline.txt</c>) by the diff engine's rules
    /// (<see cref="BaselineComparer"/>). Without a manifest it does nothing. PG2007 (manifest
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
            context.RegisterSymbolAction(c => AnalyzeType(c, manifest, types), SymbolKind.NamedType);
        }

        private static void ReportUnreadableManifest(CompilationAnalysisContext context)
        {
            var found = ManifestLocator.Find(context.Options, context.Compilation.AssemblyName, context.CancellationToken);
            if (found is { } f && f.Result.Error is { } error)
                context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.ManifestUnreadable, Location.None, f.Path, error));
        }

        private static void AnalyzeType(SymbolAnalysisContext context, BaselineManifest manifest, Dictionary<string, BaselineType> types)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.IsImplicitlyDeclared && type.Name != "Program" || !type.Locations.Any(l => l.IsInSource))
                return;
            var id = type.GetDocumentationCommentId();
            if (id is null)
                return;
            var current = SymbolDescriber.Describe(type, context.Compilation, context.CancellationToken);
            if (types.TryGetValue(id, out var baseline))
            {
                foreach (var finding in BaselineComparer.Compare(baseline, current))
                    Report(context, finding);
                return;
            }
            foreach (var finding in ArityChanges(type, current, manifest, context.Compilation))
                Report(context, finding);
        }

        /// <summary>
        /// A new type with the name, namespace and enclosing type of a baseline type that is gone, but
        /// another generic arity: <c>Box`1</c> became <c>Box`2</c>, reported under the old type (PG1002).
        /// As the diff engine, the first such type (by metadata name) takes it.
        /// </summary>
        private static IEnumerable<Finding> ArityChanges(INamedTypeSymbol type, CurrentType current, BaselineManifest manifest, Compilation compilation)
        {
            var name = type.Name;
            var siblings = (type.ContainingType?.GetTypeMembers(name) ?? type.ContainingNamespace.GetTypeMembers(name))
                .Where(t => t.Locations.Any(l => l.IsInSource))
                .OrderBy(SymbolSignatures.MetadataName, StringComparer.Ordinal)
                .ToList();
            foreach (var old in manifest.Types)
            {
                if (old.Namespace != current.Model.Namespace || old.DeclaringTypeId != current.Model.DeclaringTypeId
                    || SymbolSignatures.StripArity(old.MetadataName.Substring(old.MetadataName.LastIndexOfAny(new[] { '.', '+' }) + 1)) != name
                    || compilation.GetTypeByMetadataName(old.MetadataName) != null)
                    continue;
                var first = siblings.FirstOrDefault(t => t.GetDocumentationCommentId() != old.Id);
                if (SymbolEqualityComparer.Default.Equals(first, type))
                    yield return new Finding(DiagnosticCatalog.GenericsChanged, old.Id, current.Location, new object[] { old.DisplayName, "arity" },
                        ImmutableDictionary<string, string?>.Empty.Add(BaselineComparer.MemberProperty, old.Id));
            }
        }

        private static void Report(SymbolAnalysisContext context, Finding finding)
        {
            var location = finding.Location.IsInSource ? finding.Location : Location.None;
            context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.For(finding.Rule), location, finding.Properties, finding.Args));
        }
    }
}
