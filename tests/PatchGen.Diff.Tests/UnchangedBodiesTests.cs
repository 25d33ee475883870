using Mono.Cecil;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// <see cref="Closures.UnchangedBodies"/> settles a matched method as unchanged without rendering it. What it stands in
/// for is the oracle: rendering both closures and comparing their texts (<see cref="ClosureRenderer.RendersSameAs"/>).
/// On both real pairs, every method it calls alike renders alike, it settles most of those that do, and few of those it
/// finds to differ render alike.
/// </summary>
public class UnchangedBodiesTests
{
    [Theory]
    [InlineData("newtonsoft.json", "13.0.1", "13.0.3", "netstandard2.0", "Newtonsoft.Json")]
    [InlineData("microsoft.codeanalysis.csharp", "4.14.0", "5.0.0", "net8.0", "Microsoft.CodeAnalysis.CSharp")]
    public void AlikeOnlyWhereTheClosuresRenderAlike(string package, string baseVersion, string newVersion, string framework, string assembly)
    {
        using var @base = AssemblyInput.Load(Path.Combine(Repository.NuGetPackageRoot, package, baseVersion, "lib", framework, assembly + ".dll"));
        using var @new = AssemblyInput.Load(Path.Combine(Repository.NuGetPackageRoot, package, newVersion, "lib", framework, assembly + ".dll"));
        var context = new DiffContext(@base, @new);
        int alike = 0, renderedAlike = 0, differ = 0, differRenderedAlike = 0;
        foreach (var (b, n) in MatchedMethods(@base.Module, @new.Module))
        {
            var settled = context.UnchangedBodies.Compare(b, n);
            bool rendered = context.BaseRenderer.RendersSameAs(b, context.NewRenderer, n);
            Assert.True(settled != true || rendered, DocumentationId.ForMethod(n) + " was settled as unchanged, but its closures render differently");
            alike += settled == true ? 1 : 0;
            differ += settled == false ? 1 : 0;
            differRenderedAlike += settled == false && rendered ? 1 : 0;
            renderedAlike += rendered ? 1 : 0;
        }
        Assert.True(alike * 2 > renderedAlike, $"only {alike} of the {renderedAlike} unchanged methods settled without rendering");
        // "Differ" only spares a comparison (the hashes of the closures have the last word), but should seldom be wrong.
        Assert.True(differRenderedAlike * 10 <= differ, $"{differRenderedAlike} of the {differ} methods found to differ render alike");
    }

    /// <summary>User-written methods with code in both builds, by type name and documentation ID.</summary>
    private static IEnumerable<(MethodDefinition Base, MethodDefinition New)> MatchedMethods(ModuleDefinition @base, ModuleDefinition @new)
    {
        var newTypes = @new.GetTypes().Where(GeneratedCode.IsUserType).ToDictionary(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in @base.GetTypes().Where(GeneratedCode.IsUserType))
        {
            if (!newTypes.TryGetValue(type.FullName, out var newType))
                continue;
            var newMethods = new Dictionary<string, MethodDefinition>(StringComparer.Ordinal);
            foreach (var method in newType.Methods.Where(m => m.HasBody))
                newMethods[DocumentationId.ForMethod(method)] = method;
            foreach (var method in type.Methods.Where(m => m.HasBody && GeneratedCode.IsUserMethod(m)))
            {
                if (newMethods.TryGetValue(DocumentationId.ForMethod(method), out var match))
                    yield return (method, match);
            }
        }
    }
}
