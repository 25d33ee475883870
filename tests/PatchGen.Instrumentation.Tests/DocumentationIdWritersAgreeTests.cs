using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mono.Cecil;
using PatchGen.Diff;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// Three writers of documentation IDs, over three object models, must follow one format: the diff
/// engine's over Cecil metadata (<see cref="DocumentationId"/>), Roslyn's over symbols (what the
/// analyzer and the baseline manifest use, <c>ISymbol.GetDocumentationCommentId()</c>) and the
/// runtime's over reflection (<see cref="ReflectionDocumentationId"/>, which finds a patch's target).
/// Checked against each other on every member of one assembly with every shape that makes IDs hard
/// (testdata/shapes): nested generic types, arrays, pointers, byrefs, function pointers, varargs,
/// operators and conversions, constructors, indexers, explicit interface implementations.
/// Reflection writes IDs of methods and types only, the runtime's only need.
/// </summary>
public class DocumentationIdWritersAgreeTests
{
    [Fact]
    public void CecilRoslynAndReflectionGiveTheSameIds()
    {
        var path = TypeReferenceCorpus.ShapesAssembly;
        var source = File.ReadAllText(TypeReferenceCorpus.ShapesSource);
        var compilation = CaseCompiler.CreateCompilation("TypeShapes", new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) });
        var roslynIds = AllSymbols(compilation.Assembly.GlobalNamespace).Select(s => s.GetDocumentationCommentId()).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var context = new AssemblyLoadContext("documentation-id-writers", isCollectible: true);
        try
        {
            var reflected = context.LoadFromAssemblyPath(path);
            using var definition = AssemblyDefinition.ReadAssembly(path);
            var disagreements = new List<string>();
            var cecilIds = new HashSet<string>(StringComparer.Ordinal);
            int methods = 0;

            void Compare(string cecil, string? reflection, bool inRoslyn)
            {
                cecilIds.Add(cecil);
                if (reflection is not null && reflection != cecil)
                    disagreements.Add($"reflection {reflection} <> Cecil {cecil}");
                if (inRoslyn && !roslynIds.Contains(cecil))
                    disagreements.Add($"Roslyn has no {cecil}");
            }

            // <Module> is no type reflection can name.
            foreach (var type in definition.MainModule.GetTypes().Where(t => t.Name != "<Module>"))
            {
                bool user = GeneratedCode.IsUserType(type);
                var reflectedType = reflected.ManifestModule.ResolveType(type.MetadataToken.ToInt32());
                Compare(DocumentationId.ForType(type), "T:" + ReflectionDocumentationId.ForTypeName(reflectedType), user);
                foreach (var method in type.Methods)
                {
                    var reflectedMethod = reflected.ManifestModule.ResolveMethod(method.MetadataToken.ToInt32())!;
                    Compare(DocumentationId.ForMethod(method), ReflectionDocumentationId.ForMethod(reflectedMethod),
                        user && GeneratedCode.IsUserMethod(method) && method.Name != GeneratedCode.RecordClone);
                    methods++;
                }
                if (!user)
                    continue;
                foreach (var field in type.Fields.Where(f => !GeneratedCode.IsGeneratedName(f.Name) && !(type.IsEnum && f.Name == "value__") && !type.Events.Any(e => e.Name == f.Name)))
                    Compare(DocumentationId.ForField(field), null, true);
                foreach (var property in type.Properties)
                    Compare(DocumentationId.ForProperty(property), null, true);
                foreach (var evt in type.Events)
                    Compare(DocumentationId.ForEvent(evt), null, true);
            }

            // And every member declared in source has the ID the metadata gives it.
            foreach (var symbol in SourceSymbols(compilation.Assembly.GlobalNamespace))
            {
                if (symbol.GetDocumentationCommentId() is { } id && !cecilIds.Contains(id))
                    disagreements.Add($"Cecil has no {id}");
            }

            Assert.True(methods > 100, $"only {methods} methods compared");
            Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        }
        finally
        {
            context.Unload();
        }
    }

    private static IEnumerable<ISymbol> AllSymbols(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                foreach (var s in AllSymbols(nested))
                    yield return s;
            }
            if (member is not INamespaceSymbol)
                yield return member;
        }
    }

    /// <summary>Declared symbols that exist in metadata under their own name (not local functions, not synthesized members).</summary>
    private static IEnumerable<ISymbol> SourceSymbols(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                foreach (var s in SourceSymbols(ns))
                    yield return s;
                continue;
            }
            if (member.IsImplicitlyDeclared || member.Locations.All(l => !l.IsInSource))
                continue;
            yield return member;
            if (member is INamedTypeSymbol type)
            {
                foreach (var s in SourceSymbols(type))
                    yield return s;
            }
        }
    }
}
