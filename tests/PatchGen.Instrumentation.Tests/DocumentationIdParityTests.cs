using System.Reflection;
using Mono.Cecil;
using PatchGen.Diff;
using PatchGen.Runtime;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// A patch names the method it replaces by documentation ID; the diff engine computes IDs from Cecil
/// metadata, the runtime from reflection. They must agree on every method, or a patch could not find
/// its target: checked on every method of real assemblies (generics, nested generic types, operators,
/// explicit implementations, pointers, arrays, by-ref parameters).
/// </summary>
public class DocumentationIdParityTests
{
    public static IEnumerable<object[]> Assemblies() => new[]
    {
        new object[] { typeof(AssemblyDefinition).Assembly.Location },          // Mono.Cecil
        new object[] { typeof(AssemblyDiffer).Assembly.Location },              // PatchGen.Diff
        new object[] { typeof(System.Collections.Immutable.ImmutableArray).Assembly.Location },
        new object[] { typeof(System.Linq.Enumerable).Assembly.Location },
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ReflectionAndCecilGiveTheSameIdForEveryMethod(string path)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().First(a => !a.IsDynamic && a.Location == path);
        using var definition = AssemblyDefinition.ReadAssembly(path);
        int compared = 0;
        var mismatches = new List<string>();
        foreach (var method in definition.MainModule.GetTypes().SelectMany(t => t.Methods))
        {
            MethodBase? reflected;
            try
            {
                reflected = assembly.ManifestModule.ResolveMethod(method.MetadataToken.ToInt32());
            }
            catch (Exception e) when (e is TypeLoadException or FileNotFoundException or BadImageFormatException)
            {
                continue; // a type the test process cannot load; nothing to compare
            }
            var expected = DocumentationId.ForMethod(method);
            var actual = ReflectionDocumentationId.ForMethod(reflected!);
            if (expected != actual)
                mismatches.Add($"{expected} <> {actual}");
            compared++;
        }
        Assert.True(compared > 500, $"only {compared} methods compared");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} differ, e.g.\n" + string.Join("\n", mismatches.Take(10)));
    }
}
