using System.Reflection;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// The names the other stages use to find the runtime in metadata (<see cref="RuntimeNames"/>,
/// <see cref="PatchSiteFormat"/>) are written as strings, because the analyzer and the netstandard2.0
/// stages cannot reference the runtime: each is checked here against the runtime's real type, so that a
/// rename of a runtime type fails here and not in a user's patch.
/// </summary>
public class RuntimeNamesTests
{
    public static TheoryData<string, Type> FullNames() => new()
    {
        { RuntimeNames.PatchableAssemblyAttribute, typeof(PatchableAssemblyAttribute) },
        { RuntimeNames.PatchAttribute, typeof(PatchAttribute) },
        { RuntimeNames.PatchBaseAttribute, typeof(PatchBaseAttribute) },
        { RuntimeNames.ReplacesAttribute, typeof(ReplacesAttribute) },
        { RuntimeNames.OriginalAttribute, typeof(OriginalAttribute) },
        { RuntimeNames.PatchCallbackAttribute, typeof(PatchCallbackAttribute) },
        { RuntimeNames.PatchSystemStateAttribute, typeof(PatchSystemStateAttribute) },
        { RuntimeNames.ShadowVariables, typeof(ShadowVariables) },
        { RuntimeNames.Namespace + "." + RuntimeNames.PatchCallbackKindName, typeof(PatchCallbackKind) },
        { PatchSiteFormat.PatchSitesTypeFullName, typeof(PatchSites) },
    };

    [Theory]
    [MemberData(nameof(FullNames))]
    public void EachNameIsTheRuntimeTypes(string name, Type type) => Assert.Equal(type.FullName, name);

    /// <summary>The emitter writes these named arguments by their names; the runtime must have the properties.</summary>
    [Theory]
    [InlineData(typeof(PatchAttribute), PatchFormat.FormatVersionProperty, typeof(int))]
    [InlineData(typeof(ReplacesAttribute), PatchFormat.AssemblyProperty, typeof(string))]
    [InlineData(typeof(OriginalAttribute), PatchFormat.AssemblyProperty, typeof(string))]
    public void EachFormatPropertyIsTheRuntimes(Type attribute, string property, Type type)
        => Assert.Equal(type, attribute.GetProperty(property)?.PropertyType);

    [Fact]
    public void TheAssemblyAndNamespaceAreTheRuntimes()
    {
        Assert.Equal(RuntimeNames.AssemblyName, typeof(PatchRuntime).Assembly.GetName().Name);
        Assert.Equal(RuntimeNames.Namespace, typeof(PatchRuntime).Namespace);
    }

    [Fact]
    public void TheModuleInitializerCallsAMethodThatExists()
    {
        var observe = typeof(PatchSites).GetMethod(PatchSiteFormat.ObserveMethodName, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);
        Assert.NotNull(observe);
        Assert.Equal(typeof(void), observe!.ReturnType);
    }
}
