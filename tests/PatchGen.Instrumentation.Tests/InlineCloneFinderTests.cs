using System.Reflection;
using Mono.Cecil;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// The runtime finds a method's inline clone by reflection (<see cref="InlineCloneFinder"/>), to count a frame of the
/// clone as inside the method (docs/consistency-model.md, "Inline clones"). The oracle is what the instrumenter
/// wrote, read with Cecil: every clone <c>&lt;PatchGen&gt;c$Name</c>, and every constructor clone, told apart only by
/// the <c>modopt</c> on its return type, which reflection does not show. Every method of the instrumented sample
/// library must map to exactly its clone, or to none.
/// </summary>
public class InlineCloneFinderTests
{
    [Fact]
    public void EveryMethodOfTheSampleMapsToTheCloneTheInstrumenterWroteOrToNone()
    {
        using var module = ModuleDefinition.ReadModule(SampleBuild.InstrumentedPath);
        var expected = new Dictionary<int, int>(); // original's token → clone's token
        int constructors = 0, generic = 0;
        foreach (var type in module.GetTypes())
        {
            foreach (var clone in type.Methods)
            {
                MethodDefinition? original = null;
                if (clone.Name.StartsWith(PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix, StringComparison.Ordinal))
                {
                    var name = clone.Name[PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix.Length..];
                    original = type.Methods.Single(m => m.Name == name && SameParameters(m, clone));
                }
                else if (clone.IsConstructor && clone.ReturnType is OptionalModifierType)
                {
                    original = type.Methods.Single(m => m.IsConstructor && m != clone && m.ReturnType is not OptionalModifierType && SameParameters(m, clone));
                }
                if (original is null)
                    continue;
                expected.Add(original.MetadataToken.ToInt32(), clone.MetadataToken.ToInt32());
                constructors += original.IsConstructor ? 1 : 0;
                generic += original.HasGenericParameters || type.HasGenericParameters ? 1 : 0;
            }
        }
        // The sample has clones of each kind (methods, constructors, generic code): otherwise this test would prove less.
        Assert.True(expected.Count > constructors + generic && constructors > 0 && generic > 0, $"{expected.Count} clones, {constructors} of constructors, {generic} in generic code");

        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        int checkedMethods = 0;
        foreach (var type in SampleBuild.Instrumented.GetTypes())
        {
            foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
            {
                if (method.Name.StartsWith(PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix, StringComparison.Ordinal) || expected.ContainsValue(method.MetadataToken))
                    continue; // a clone has no clone
                var found = InlineCloneFinder.Of(method);
                if (expected.TryGetValue(method.MetadataToken, out int clone))
                    Assert.True(found?.MetadataToken == clone, $"{type.FullName}.{method.Name}: expected its clone, found {found?.Name ?? "none"}");
                else
                    Assert.True(found is null, $"{type.FullName}.{method.Name} has no clone, found {found?.Name}");
                checkedMethods++;
            }
        }
        Assert.True(checkedMethods > expected.Count);
    }

    private static bool SameParameters(MethodDefinition a, MethodDefinition b)
        => a.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(b.Parameters.Select(p => p.ParameterType.FullName))
            && a.GenericParameters.Count == b.GenericParameters.Count && a.IsStatic == b.IsStatic;
}
