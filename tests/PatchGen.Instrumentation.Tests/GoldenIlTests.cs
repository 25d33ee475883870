using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// The exact code the instrumenter writes, instruction by instruction, in the style of Cecil's own
/// <c>AssertCode</c> tests: a change to the rewrite shows up here as a reviewed diff of IL text.
/// docs/patch-sites.md describes the same shapes.
/// </summary>
public class GoldenIlTests
{
    private static string Code(string type, string method, Func<MethodDefinition, bool>? which = null)
    {
        using var output = AssemblyDefinition.ReadAssembly(SampleBuild.InstrumentedPath);
        var definition = output.MainModule.GetType(type).Methods.Single(m => m.Name == method && (which?.Invoke(m) ?? true));
        return Render(definition);
    }

    internal static string Render(MethodDefinition method)
    {
        var lines = method.Body.Instructions.Select(i => i.ToString());
        var locals = method.Body.Variables.Count == 0 ? "" : ".locals (" + string.Join(", ", method.Body.Variables.Select(v => v.VariableType.FullName)) + ")\n";
        return (method.AggressiveInlining ? "aggressiveinlining\n" : "") + (method.NoInlining ? "noinlining\n" : "") + locals + string.Join("\n", lines);
    }

    private static void AssertCode(string expected, string actual)
    {
        // PATCHGEN_GOLDEN_DUMP=<file> appends what the instrumenter writes now, to review and paste.
        if (Environment.GetEnvironmentVariable("PATCHGEN_GOLDEN_DUMP") is { Length: > 0 } dump)
            File.AppendAllText(dump, actual + "\n----\n");
        Assert.Equal(expected.Replace("\r\n", "\n").Trim(), actual.Trim());
    }

    [Fact]
    public void ASmallInstanceMethodGetsTheCheckTheDispatchAndAggressiveInlining()
    {
        AssertCode("""
            aggressiveinlining
            IL_0000: ldsfld PatchGen.Runtime.Instrumentation.PatchSite <PatchGen>Sites::i1
            IL_0005: brtrue.s IL_000b
            IL_0007: ldarg.1
            IL_0008: ldarg.2
            IL_0009: add
            IL_000a: ret
            IL_000b: ldc.i4.1
            IL_000c: ldarg.0
            IL_000d: ldarg.1
            IL_000e: ldarg.2
            IL_000f: call System.Int32 <PatchGen>Sites::d1(System.Int32,System.Object,System.Int32,System.Int32)
            IL_0014: ret
            """, Code("Lib.Calc", "Add"));
    }

    [Fact]
    public void AStructMethodPassesItsThisAsAManagedPointer()
    {
        AssertCode(GoldenExpectations.CounterAddTwice, Code("Lib.Counter", "AddTwice"));
    }

    [Fact]
    public void AGenericMethodOfAGenericTypeCallsAGenericStubOverItsWholeContext()
    {
        AssertCode(GoldenExpectations.BoxDescribe, Code("Lib.Box`1", "Describe"));
    }

    [Fact]
    public void AStubAsksTheRuntimeForTheTargetAndCallsItThroughAFunctionPointer()
    {
        AssertCode("""
            noinlining
            .locals (System.IntPtr)
            IL_0000: ldsfld PatchGen.Runtime.Instrumentation.PatchSite[] <PatchGen>Sites::Table
            IL_0005: ldarg.0
            IL_0006: ldelem.ref
            IL_0007: call System.IntPtr PatchGen.Runtime.Instrumentation.PatchSite::Target(PatchGen.Runtime.Instrumentation.PatchSite)
            IL_000c: stloc.0
            IL_000d: ldarg.1
            IL_000e: ldarg.2
            IL_000f: ldarg.3
            IL_0010: ldloc.0
            IL_0011: calli System.Int32(System.Object,System.Int32,System.Int32)
            IL_0016: ret
            """, Code("<PatchGen>Sites", "d1"));
    }

    [Fact]
    public void AGenericStubIdentifiesTheInstantiationByItsOwnHandle()
    {
        AssertCode(GoldenExpectations.GenericStub, Code("<PatchGen>Sites", GoldenExpectations.GenericStubName));
    }
}
