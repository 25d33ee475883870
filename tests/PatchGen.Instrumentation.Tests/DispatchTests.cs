using System.Reflection;
using PatchGen.Runtime;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// The dispatch path: a site slot pointing at a <see cref="PatchSite"/> whose state holds a replacement
/// redirects the call through the erased dispatch stubs, for an instance method, a static method, a struct
/// method, class and struct constructors and a generic method of a generic type; clearing the slot
/// restores the original.
/// Each test loads its own copy of the instrumented build, so slots set here are seen nowhere else. The build has no
/// inline clones: the library's own calls must reach the site a test patches by hand.
/// </summary>
public class DispatchTests
{
    private static (Assembly Assembly, InstrumentedAssembly Sites) LoadFresh()
    {
        var assembly = SampleBuild.Load(SampleBuild.WithoutClonesPath);
        return (assembly, SiteRegistry.For(assembly)!);
    }

    /// <summary>Installs <paramref name="replacement"/> (of Lib.Replacements) for <paramref name="method"/>, below the patch manager; returns the site.</summary>
    private static PatchSite Patch(InstrumentedAssembly sites, MethodBase method, string replacement)
    {
        var site = sites.SiteOf(method)!;
        var implementation = sites.Assembly.GetType("Lib.Replacements", true)!.GetMethod(replacement)!;
        // An entry only needs a patch object for identity, so an empty one stands in for a loaded patch assembly.
        var owner = (LoadedPatch)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(LoadedPatch));
        var entry = new SiteEntry(owner, implementation, method.Name, isOriginal: false);
        site.State = SiteState.SteadyOn(entry, site.OwnBody);
        site.SetSlot(patched: true);
        return site;
    }

    private static void Unpatch(PatchSite site)
    {
        site.SetSlot(patched: false);
        site.State = SiteState.SteadyOn(null, site.OwnBody);
    }

    private static string Check(Assembly assembly, string name)
        => (string)assembly.GetType("Lib.Checks", true)!.GetMethod(name)!.Invoke(null, null)!;

    [Fact]
    public void InstanceAndStaticMethodsAreRedirected()
    {
        var (assembly, sites) = LoadFresh();
        var calc = assembly.GetType("Lib.Calc", true)!;
        var add = calc.GetMethod("Add")!;
        var fact = calc.GetMethod("Fact")!;
        var instance = Activator.CreateInstance(calc)!;
        Assert.Equal(3, add.Invoke(instance, new object[] { 1, 2 }));

        var addSite = Patch(sites, add, "Add");
        Assert.Equal(1003, add.Invoke(instance, new object[] { 1, 2 }));
        Patch(sites, fact, "Fact");
        Assert.Equal(-5, fact.Invoke(null, new object[] { 5 }));

        Unpatch(addSite);
        Assert.Equal(3, add.Invoke(instance, new object[] { 1, 2 }));
    }

    [Fact]
    public void StructMethodsGetThisByReference()
    {
        var (assembly, sites) = LoadFresh();
        Assert.Equal("c3=15 15 15 abcd=5", Check(assembly, "Structs"));
        Patch(sites, assembly.GetType("Lib.Counter", true)!.GetMethod("AddTwice")!, "AddTwice");
        // The replacement writes through the reference: the caller's local changes.
        Assert.Equal("c3=-10 77 -10 abcd=5", Check(assembly, "Structs"));
    }

    [Fact]
    public void ConstructorsAreRedirected()
    {
        var (assembly, sites) = LoadFresh();
        var counter = assembly.GetType("Lib.Counter", true)!;
        Patch(sites, counter.GetConstructor(new[] { typeof(int) })!, "CounterCtor");
        // Counter(string) chains to the patched Counter(int) before setting its own name.
        Assert.Equal("patched=312 312 312 abcd=401", Check(assembly, "Structs"));

        var derived = assembly.GetType("Lib.Derived", true)!;
        Patch(sites, derived.GetConstructor(new[] { typeof(int) })!, "DerivedCtor");
        Activator.CreateInstance(derived, 5);
        var log = (List<string>)assembly.GetType("Lib.Calc", true)!.GetField("Log")!.GetValue(null)!;
        Assert.Contains("derived ctor patched 5", log);
    }

    [Fact]
    public void GenericMethodsOfGenericTypesResolvePerInstantiation()
    {
        var (assembly, sites) = LoadFresh();
        var box = assembly.GetType("Lib.Box`1", true)!;
        var describe = box.GetMethod("Describe")!;
        Patch(sites, describe, "Describe");

        var ints = box.MakeGenericType(typeof(int));
        var intBox = Activator.CreateInstance(ints, 5)!;
        Assert.Equal("patched Int32/Double 2.5", ints.GetMethod("Describe")!.MakeGenericMethod(typeof(double)).Invoke(intBox, new object[] { 2.5 }));
        var strings = box.MakeGenericType(typeof(string));
        var stringBox = Activator.CreateInstance(strings, "s")!;
        Assert.Equal("patched String/Object x", strings.GetMethod("Describe")!.MakeGenericMethod(typeof(object)).Invoke(stringBox, new object[] { "x" }));
        // Another method of the same generic type is untouched.
        Assert.Equal(5, ints.GetMethod("Get")!.Invoke(intBox, null));
    }
}
