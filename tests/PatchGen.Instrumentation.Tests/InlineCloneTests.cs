using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Cecil.Methods;
using PatchGen.Diff;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// Inline clones (site format 4, docs/patch-sites.md "Inline clones") on the sample library, as the instrumenter writes
/// them by default: small non-virtual methods get a site-less clone, every direct call in a method with a site goes to
/// a clone, the originals keep their sites, and the diff engine's view removes the clones, points the calls back and
/// says which methods a patch of a cloned method must replace with it.
/// </summary>
public class InlineCloneTests
{
    private static readonly Lazy<(string Path, InstrumentResult Result)> Cloned = new(() => (SampleBuild.InstrumentedPath, SampleBuild.Result));

    private static readonly Lazy<(string Path, InstrumentResult Result)> Unclones = new(() =>
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("sample-noclones"), SampleLibrary.Name + ".dll");
        var result = AssemblyInstrumenter.Instrument(SampleBuild.OriginalPath, output, new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 0 });
        return (output, result);
    });

    [Fact]
    public void ClonesHaveNoSiteAndDirectCallsUseThem()
    {
        using var module = ModuleDefinition.ReadModule(Cloned.Value.Path);
        var methods = module.GetTypes().Where(t => !t.Name.StartsWith("<PatchGen>", StringComparison.Ordinal)).SelectMany(t => t.Methods).ToList();
        var clones = methods.Where(InlineClone.Is).ToList();
        Assert.NotEmpty(clones);
        Assert.Equal(clones.Count, Cloned.Value.Result.InlineClones.Clones);
        Assert.All(clones, c => Assert.Null(StructureTests.SlotOf(c)));
        // The site count is the one without clones: clones add none, originals keep theirs.
        Assert.Equal(Unclones.Value.Result.SiteCount, Cloned.Value.Result.SiteCount);

        var cloned = clones.Select(c => (c.DeclaringType.FullName, InlineClone.OriginalName(c.Name))).ToHashSet();
        int callsOfClones = 0;
        foreach (var instruction in methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions))
        {
            if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj) || instruction.Operand is not MethodReference target
                || target.Resolve() is not { } resolved || resolved.Module != module)
                continue;
            if (InlineClone.Is(resolved))
                callsOfClones++;
            else if (!resolved.IsConstructor)
                Assert.DoesNotContain((resolved.DeclaringType.FullName, resolved.Name), cloned);
        }
        Assert.Equal(Cloned.Value.Result.InlineClones.RetargetedCalls, callsOfClones);
        Assert.True(callsOfClones > 0);
    }

    /// <summary>A build with clones says format 4, which takes only patches that replace their callers; without, format 3.</summary>
    [Fact]
    public void TheBuildSaysWhetherItHasClones()
    {
        static int FormatOf(string path)
        {
            using var module = ModuleDefinition.ReadModule(path);
            var marker = Assert.Single(module.Assembly.CustomAttributes, a => a.AttributeType.Name == "PatchableAssemblyAttribute");
            return (int)marker.ConstructorArguments[2].Value;
        }
        Assert.Equal(PatchGen.Diagnostics.PatchSiteFormat.Version, FormatOf(Cloned.Value.Path));
        Assert.Equal(PatchGen.Diagnostics.PatchSiteFormat.WithoutInlineClonesVersion, FormatOf(Unclones.Value.Path));
        Assert.Equal(0, Unclones.Value.Result.InlineClones.Clones);
        Assert.True(PatchGen.Diagnostics.PatchSiteFormat.Reads(FormatOf(Cloned.Value.Path)) && PatchGen.Diagnostics.PatchSiteFormat.Reads(FormatOf(Unclones.Value.Path)));
    }

    /// <summary>
    /// Only methods with a site (and clones) call clones: a static constructor cannot be replaced by a patch, so an
    /// inlined copy in it could run the old body of a changed method after its thread switched.
    /// </summary>
    [Fact]
    public void MethodsWithoutASiteKeepCallingTheOriginal()
    {
        var path = InlineAssembly.Compile(InlineAssembly.TempDirectory("clones-cctor"), "ClonesCctor", """
            public static class Config
            {
                public static readonly int Limit = Twice(21);
                public static int Twice(int x) => x * 2;
                public static int Use() => Twice(Limit);
            }
            """);
        var output = Path.Combine(InlineAssembly.TempDirectory("clones-cctor-out"), "ClonesCctor.dll");
        AssemblyInstrumenter.Instrument(path, output, new InstrumentOptions { CopyRuntime = false });
        using var module = ModuleDefinition.ReadModule(output);
        var config = module.GetType("Config");
        static IEnumerable<string> Calls(MethodDefinition m) => m.Body.Instructions.Where(i => i.OpCode.Code == Code.Call).Select(i => ((MethodReference)i.Operand).Name);
        Assert.Contains("Twice", Calls(config.Methods.Single(m => m.Name == ".cctor")));
        Assert.Contains(PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + "Twice", Calls(config.Methods.Single(m => m.Name == "Use")));
    }

    /// <summary>
    /// What a patch of a cloned method must replace besides it: every method with a site whose body calls its clone,
    /// and through clones that call clones (a clone has its original's body), their callers, transitively.
    /// </summary>
    [Fact]
    public void TheCallersOfACloneAreFoundTransitively()
    {
        var path = InlineAssembly.Compile(InlineAssembly.TempDirectory("clones-graph"), "ClonesGraph", """
            public static class Chain
            {
                public static int Leaf(int x) => x + 1;
                public static int Middle(int x) => Leaf(x) * 2;
                public static int Top(int x) => Middle(x) + Leaf(x);
                public static int Other(int x) => Middle(x) - 1;
                public static int Unrelated(int x) => x - 1;
                public static System.Func<int, int> Delegate() => Leaf;
            }
            """);
        var output = Path.Combine(InlineAssembly.TempDirectory("clones-graph-out"), "ClonesGraph.dll");
        AssemblyInstrumenter.Instrument(path, output, new InstrumentOptions { CopyRuntime = false });
        using var module = ModuleDefinition.ReadModule(output);
        var callers = InstrumentationView.Restore(module);
        var chain = module.GetType("Chain");
        MethodDefinition M(string name) => chain.Methods.Single(m => m.Name == name);
        IEnumerable<string> Of(string name) => callers.Of(M(name)).Select(m => m.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["Middle", "Other", "Top"], Of("Leaf"));
        Assert.Equal(["Other", "Top"], Of("Middle"));
        Assert.Empty(Of("Top"));
        // A delegate names the original, with its site: Delegate() runs no copy of Leaf.
        Assert.DoesNotContain("Delegate", Of("Leaf"));
        Assert.True(callers.IsCloned(M("Unrelated")));
    }

    [Fact]
    public void TheDiffEnginesViewRemovesClonesAndRestoresTheCalls()
    {
        using var original = ModuleDefinition.ReadModule(SampleBuild.OriginalPath);
        using var restored = ModuleDefinition.ReadModule(Cloned.Value.Path);
        InstrumentationView.Restore(restored);

        // Instructions in long form, branch targets by index: the view's re-encoding may choose other short forms
        // than the compiler (starg.s), which is no difference in the code.
        static string Code(MethodBody body)
        {
            body.SimplifyMacros();
            var code = body.Instructions;
            return string.Join("; ", code.Select(i => i.OpCode.Name + " " + (i.Operand is Instruction target ? "@" + code.IndexOf(target) : i.Operand)));
        }
        static List<string> Shape(ModuleDefinition module) => module.GetTypes().SelectMany(t => t.Methods)
            .Select(m => m.FullName + " " + m.ImplAttributes + (m.HasBody ? ": " + Code(m.Body) : ""))
            .Order(StringComparer.Ordinal).ToList();
        Assert.DoesNotContain(restored.GetTypes().SelectMany(t => t.Methods), InlineClone.Is);
        var expected = Shape(original);
        var actual = Shape(restored);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
            Assert.Equal(e, a);
    }
}
