using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests.Consistency;

/// <summary>
/// Without profiles, the search for functions the JIT could have inlined statically skips the assemblies built
/// without the application (the shared framework's and PatchGen's own): they cannot reach a changed function but
/// through the virtual, interface and delegate calls that search leaves out. Skipping an application assembly
/// instead would clear a frame that has a changed function inlined into it, so which assemblies count is tested
/// here, both ways: every case that must be searched is one an application could present (its own folder, bytes
/// loaded from memory, a dynamic assembly, a folder that only looks like the framework's).
/// </summary>
public sealed class StaticInliningScopeTests
{
    [Fact]
    public void TheSharedFrameworkAndPatchGensOwnAssembliesAreSkipped()
    {
        // The tests run on the shared framework; without it the rule skips nothing and this test would prove nothing.
        Assert.NotNull(StaticInlining.SharedFrameworks);
        Assert.True(StaticInlining.BuiltWithoutTheApplication(typeof(object).Assembly));
        Assert.True(StaticInlining.BuiltWithoutTheApplication(typeof(Enumerable).Assembly));
        Assert.True(StaticInlining.BuiltWithoutTheApplication(typeof(PatchRuntime).Assembly));
        Assert.True(StaticInlining.BuiltWithoutTheApplication(typeof(PatchGen.Diagnostics.PatchSiteFormat).Assembly));
    }

    [Fact]
    public void AnApplicationsAssembliesAreSearchedWhereverTheyComeFrom()
    {
        // Its own folder (the test assembly is an application assembly as much as any).
        Assert.False(StaticInlining.BuiltWithoutTheApplication(typeof(StaticInliningScopeTests).Assembly));

        // Bytes loaded from memory: no location.
        var context = new AssemblyLoadContext("scope-from-bytes", isCollectible: true);
        try
        {
            var fromBytes = context.LoadFromStream(new MemoryStream(File.ReadAllBytes(typeof(StaticInliningScopeTests).Assembly.Location)));
            Assert.Equal("", fromBytes.Location);
            Assert.False(StaticInlining.BuiltWithoutTheApplication(fromBytes));
        }
        finally
        {
            context.Unload();
        }

        // A dynamic assembly.
        var dynamic = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("ScopeDynamic"), AssemblyBuilderAccess.RunAndCollect);
        Assert.False(StaticInlining.BuiltWithoutTheApplication(dynamic));

        // A folder laid out like the shared framework's, elsewhere (a self-contained or copied layout).
        var root = Path.Combine(Path.GetTempPath(), "pg-scope-" + Environment.ProcessId, "shared", "Microsoft.NETCore.App", "10.0.0");
        Directory.CreateDirectory(root);
        var copy = Path.Combine(root, "ScopeLookalike.dll");
        File.Copy(typeof(StaticInliningScopeTests).Assembly.Location, copy, overwrite: true);
        var lookalikeContext = new AssemblyLoadContext("scope-lookalike", isCollectible: true);
        try
        {
            var lookalike = lookalikeContext.LoadFromAssemblyPath(copy);
            Assert.False(StaticInlining.BuiltWithoutTheApplication(lookalike));
        }
        finally
        {
            lookalikeContext.Unload();
        }
    }

    [Fact]
    public void CalleesAreKeptOnlyWhereNothingTheyNameCanUnload()
    {
        // A method of an assembly that never unloads, calling only such methods: its callees are kept.
        var permanent = typeof(StaticInliningScopeTests).GetMethod(nameof(CallsPermanentCode), BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.NotEmpty(StaticInlining.CalleesOf(permanent));
        Assert.True(StaticInlining.KeepsCalleesOf(permanent));

        // The same method in a collectible load context, and a framework generic instantiated over one of its types:
        // resolved, not kept, and the context is collected once unloaded.
        var unloaded = SearchInCollectibleContext();
        for (int i = 0; i < 20 && unloaded.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(unloaded.IsAlive, "the kept callees hold a collectible load context");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference SearchInCollectibleContext()
    {
        var context = new AssemblyLoadContext("kept-callees", isCollectible: true);
        var assembly = context.LoadFromStream(new MemoryStream(File.ReadAllBytes(typeof(StaticInliningScopeTests).Assembly.Location)));
        var type = assembly.GetType(typeof(StaticInliningScopeTests).FullName!)!;
        var method = type.GetMethod(nameof(CallsPermanentCode), BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.NotEmpty(StaticInlining.CalleesOf(method));
        Assert.False(StaticInlining.KeepsCalleesOf(method));
        var instantiated = typeof(List<>).MakeGenericType(type).GetMethod("Add")!;
        StaticInlining.CalleesOf(instantiated).ToList();
        Assert.False(StaticInlining.KeepsCalleesOf(instantiated));
        context.Unload();
        return new WeakReference(context);
    }

    private static int CallsPermanentCode(string text) => text.Trim().Length + Math.Abs(text.GetHashCode());
}
