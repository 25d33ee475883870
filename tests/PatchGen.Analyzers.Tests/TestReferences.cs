using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace PatchGen.Analyzers.Tests;

/// <summary>
/// References for the testing library's compilations: the .NET 10 reference assemblies from
/// Basic.Reference.Assemblies (the same the case compiler uses), not a package download at test time.
/// </summary>
internal static class TestReferences
{
    public static ReferenceAssemblies None { get; } = new("net10.0-basic");

    public static IEnumerable<MetadataReference> Net100 => Basic.Reference.Assemblies.Net100.References.All;

    /// <summary>PatchGen.Runtime, which the shadow-variable code fix calls.</summary>
    public static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(PatchGen.Runtime.ShadowVariables).Assembly.Location);
}
