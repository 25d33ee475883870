using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Cecil.Methods;
using PatchGen.Diff;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// The benchmark-only inline-clone experiment (docs/benchmarks.md, "Inline clones") on the sample library: small
/// non-virtual methods get a site-less clone, every direct call inside the assembly goes to a clone, the originals
/// keep their sites, and the diff engine's view removes the clones and points the calls back.
/// </summary>
public class InlineCloneTests
{
    private static readonly Lazy<(string Path, InstrumentResult Result)> Cloned = new(() =>
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("sample-clones"), SampleLibrary.Name + ".dll");
        var result = AssemblyInstrumenter.Instrument(SampleBuild.OriginalPath, output,
            new InstrumentOptions { CopyRuntime = false, InlineClones = true, InlineCloneConstructors = true });
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
        // The site count is the plain instrumentation's: clones add none, originals keep theirs.
        Assert.Equal(SampleBuild.Result.SiteCount, Cloned.Value.Result.SiteCount);

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

    /// <summary>No runtime patches such a build: a patch of a cloned method would not replace the callers of its clone.</summary>
    [Fact]
    public void TheBuildCarriesAFormatVersionNoRuntimeReads()
    {
        var assembly = SampleBuild.Load(Cloned.Value.Path);
        var marker = Assert.Single(assembly.GetCustomAttributesData(), a => a.AttributeType.Name == "PatchableAssemblyAttribute");
        Assert.Equal(PatchGen.Diagnostics.PatchSiteFormat.InlineCloneExperimentVersion, (int)marker.ConstructorArguments[2].Value!);
        Assert.NotEqual(PatchGen.Runtime.PatchableAssemblyAttribute.CurrentFormatVersion, PatchGen.Diagnostics.PatchSiteFormat.InlineCloneExperimentVersion);
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
