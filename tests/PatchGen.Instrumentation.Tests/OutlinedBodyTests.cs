using System.Diagnostics;
using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// Outlined bodies (site format 5, docs/patch-sites.md "Outlined bodies"): a large non-virtual method keeps its name and
/// site, its body moves with its symbols into its site-less clone, its own body forwards to it, and direct calls keep
/// naming the method.
/// </summary>
public class OutlinedBodyTests
{
    internal const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Text;

        public class Outlined
        {
            public static int Small(int x) => x + 1;

            public static string Large(int[] values, int limit)
            {
                var text = new StringBuilder();
                int total = 0;
                foreach (var value in values)
                {
                    if (value > limit)
                        throw new ArgumentOutOfRangeException(nameof(values), value, "over the limit");
                    int step = Small(value) * 3;
                    total += step;
                    text.Append(step).Append(',');
                }
                try
                {
                    text.Append(checked(total * 1000)).Append(';');
                }
                catch (OverflowException)
                {
                    text.Append("overflow;");
                }
                var parts = new List<string>(text.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries));
                parts.Reverse();
                return string.Join("|", parts) + ":" + parts.Count.ToString() + ":" + limit.ToString();
            }

            public virtual string LargeVirtual(int[] values)
            {
                var text = new StringBuilder();
                for (int limit = 10; limit <= 90; limit += 10)
                    text.Append(Large(values, limit)).Append(Large(values, limit + 1)).Append(Large(values, limit + 2)).Append(Large(values, limit + 3));
                return text.Append(Large(values, 100)).Append(Large(values, 200)).Append(Large(values, 300)).ToString();
            }

            public static string Caller(int[] values) => Large(values, 100) + "!";

            public static string VirtualCaller(Outlined outlined, int[] values) => outlined.LargeVirtual(values) + "!";
        }
        """;

    private static readonly Lazy<(string Original, string Outlined, InstrumentResult Result, string Plain)> Build = new(() =>
    {
        var original = InlineAssembly.Compile(InlineAssembly.TempDirectory("outlined"), "OutlinedSample", Source);
        var outlined = Path.Combine(InlineAssembly.TempDirectory("outlined-out"), "OutlinedSample.dll");
        var result = AssemblyInstrumenter.Instrument(original, outlined, new InstrumentOptions { OutlineBodiesOver = SiteEligibility.InlineCloneDefaultSize });
        var plain = Path.Combine(InlineAssembly.TempDirectory("outlined-off"), "OutlinedSample.dll");
        AssemblyInstrumenter.Instrument(original, plain, new InstrumentOptions { OutlineBodiesOver = 0, CopyRuntime = false });
        return (original, outlined, result, plain);
    });

    private static AssemblyDefinition Read(string path) => AssemblyDefinition.ReadAssembly(path, new ReaderParameters { ReadSymbols = true });

    private static MethodDefinition Method(AssemblyDefinition assembly, string name) => assembly.MainModule.GetType("Outlined").Methods.Single(m => m.Name == name);

    [Fact]
    public void ALargeMethodForwardsToItsSitelessCloneAndKeepsItsSite()
    {
        using var original = Read(Build.Value.Original);
        using var outlined = Read(Build.Value.Outlined);
        Assert.True(Method(original, "Large").Body.CodeSize > SiteEligibility.InlineCloneDefaultSize);
        Assert.Equal(1, Build.Value.Result.OutlinedBodies);

        var large = Method(outlined, "Large");
        var clone = Method(outlined, PatchSiteFormat.InlineClonePrefix + "Large");
        Assert.NotNull(StructureTests.SlotOf(large));
        Assert.Null(StructureTests.SlotOf(clone));
        // Its flags are decided on the original body, as for any method: a large one is not marked AggressiveInlining,
        // so the JIT decides about the small forwarder by its own policy (the shape measured, docs/benchmarks.md).
        Assert.Equal(Method(original, "Large").ImplAttributes, large.ImplAttributes);
        Assert.Equal(Method(original, "Large").ImplAttributes, clone.ImplAttributes);
        Assert.True(clone.IsAssembly && clone.IsStatic);
        // The forwarder: check, the arguments, the call of the clone, return; then the dispatch block.
        var calls = large.Body.Instructions.Where(i => i.OpCode.Code == Code.Call).Select(i => ((MethodReference)i.Operand).Name).ToList();
        Assert.Equal(PatchSiteFormat.InlineClonePrefix + "Large", calls[0]);
        Assert.False(large.Body.HasExceptionHandlers);
        Assert.Empty(large.Body.Variables);
        // The clone has the original body: its instructions, handlers and locals (calls of small methods name their clones).
        var body = Method(original, "Large").Body;
        Assert.Equal(body.Instructions.Select(i => i.OpCode), clone.Body.Instructions.Select(i => i.OpCode));
        Assert.Equal(body.ExceptionHandlers.Count, clone.Body.ExceptionHandlers.Count);
        Assert.Equal(body.Variables.Select(v => v.VariableType.FullName), clone.Body.Variables.Select(v => v.VariableType.FullName));
        Assert.Contains(clone.Body.Instructions, i => i.Operand is MethodReference { Name: PatchSiteFormat.InlineClonePrefix + "Small" });

        // Direct calls keep naming the method: the clone's only caller is its forwarder. Virtual methods are not outlined.
        Assert.Contains(Method(outlined, "Caller").Body.Instructions, i => i.Operand is MethodReference { Name: "Large" });
        Assert.DoesNotContain(outlined.MainModule.GetType("Outlined").Methods, m => m.Name == PatchSiteFormat.InlineClonePrefix + "LargeVirtual");
        var callersOfClone = outlined.MainModule.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody
            && m.Body.Instructions.Any(i => i.Operand is MethodReference { Name: PatchSiteFormat.InlineClonePrefix + "Large" })).ToList();
        Assert.Equal(large, Assert.Single(callersOfClone));
    }

    /// <summary>
    /// <see cref="InstrumentOptions.OutlineForwardersAggressiveInlining"/> (a measurement variant): the forwarder is marked,
    /// its slot says so (<c>i&lt;N&gt;</c>), and the diff engine's view takes the flag off again with the body back.
    /// </summary>
    [Fact]
    public void AnAggressiveForwarderSaysSoInItsSlotAndTheViewRemovesTheFlag()
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("outlined-aggressive"), "OutlinedSample.dll");
        AssemblyInstrumenter.Instrument(Build.Value.Original, output, new InstrumentOptions { CopyRuntime = false, OutlineForwardersAggressiveInlining = true });
        using var outlined = Read(output);
        var large = Method(outlined, "Large");
        Assert.True((large.ImplAttributes & Mono.Cecil.MethodImplAttributes.AggressiveInlining) != 0);
        Assert.Equal('i', StructureTests.SlotOf(large)!.Name[0]);
        Assert.True((Method(outlined, PatchSiteFormat.InlineClonePrefix + "Large").ImplAttributes & Mono.Cecil.MethodImplAttributes.AggressiveInlining) == 0);

        using var view = Read(output);
        PatchGen.Diff.InstrumentationView.Restore(view.MainModule);
        using var original = Read(Build.Value.Original);
        Assert.Equal(Method(original, "Large").ImplAttributes, Method(view, "Large").ImplAttributes);
        Assert.Equal(Method(original, "Large").Body.Instructions.Select(i => i.OpCode), Method(view, "Large").Body.Instructions.Select(i => i.OpCode));
    }

    /// <summary>
    /// The measurement variants' options (docs/benchmarks.md, "What a large method costs"): with
    /// <see cref="InstrumentOptions.OutlineRetargetMaxCallers"/> a direct call of an outlined method names its moved body, and
    /// with <see cref="InstrumentOptions.OutlineVirtualMethods"/> a virtual method is outlined too, but a <c>callvirt</c> of
    /// it keeps naming it (it must dispatch). By default both are off: calls keep naming the method.
    /// </summary>
    [Fact]
    public void RetargetedCallsNameTheMovedBodyButAVirtualCallDispatches()
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("outlined-retarget"), "OutlinedSample.dll");
        AssemblyInstrumenter.Instrument(Build.Value.Original, output, new InstrumentOptions { CopyRuntime = false, OutlineRetargetMaxCallers = int.MaxValue, OutlineVirtualMethods = true });
        using var retargeted = Read(output);
        Assert.Contains(Method(retargeted, "Caller").Body.Instructions, i => i.OpCode.Code == Code.Call && i.Operand is MethodReference { Name: PatchSiteFormat.InlineClonePrefix + "Large" });
        using var original = Read(Build.Value.Original);
        Assert.True(Method(original, "LargeVirtual").Body.CodeSize > SiteEligibility.InlineCloneDefaultSize);
        Assert.NotNull(Method(retargeted, PatchSiteFormat.InlineClonePrefix + "LargeVirtual"));
        Assert.Contains(Method(retargeted, "VirtualCaller").Body.Instructions, i => i.OpCode.Code == Code.Callvirt && i.Operand is MethodReference { Name: "LargeVirtual" });

        using var outlined = Read(Build.Value.Outlined);
        Assert.Contains(Method(outlined, "VirtualCaller").Body.Instructions, i => i.OpCode.Code == Code.Callvirt && i.Operand is MethodReference { Name: "LargeVirtual" });
    }

    /// <summary>
    /// <see cref="InstrumentOptions.OutlineRetargetMaxCallers"/> bounds what a patch of the outlined method must then
    /// replace besides it: Large's direct callers Caller, LargeVirtual and Middle, and Top, which calls Middle's clone
    /// (Middle is small, and Top calls it directly), so that an inlined copy of Large can be in Top. Four: at 3 every
    /// call keeps naming Large (a bound on direct callers alone would have retargeted them), at 4 each names its moved body.
    /// </summary>
    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void CallsNameTheMovedBodyOnlyWhenAPatchOfItReplacesAtMostTheBound(int maxCallers, bool retargeted)
    {
        const string Chain = """

            public static class Chain
            {
                public static string Middle(int[] values) => Outlined.Large(values, 7) + "m";

                public static string Top(int[] values) => Middle(values) + "t";
            }
            """;
        var original = InlineAssembly.Compile(InlineAssembly.TempDirectory("outlined-chain"), "OutlinedChain", Source + Chain);
        var output = Path.Combine(InlineAssembly.TempDirectory("outlined-chain-" + maxCallers), "OutlinedChain.dll");
        AssemblyInstrumenter.Instrument(original, output, new InstrumentOptions { CopyRuntime = false, OutlineRetargetMaxCallers = maxCallers });
        using var built = Read(output);
        string expected = retargeted ? PatchSiteFormat.InlineClonePrefix + "Large" : "Large";
        var chain = built.MainModule.GetType("Chain");
        var callers = new[] { Method(built, "Caller"), Method(built, "LargeVirtual"), chain.Methods.Single(m => m.Name == "Middle"),
            chain.Methods.Single(m => m.Name == PatchSiteFormat.InlineClonePrefix + "Middle") };
        foreach (var caller in callers)
        {
            var calls = caller.Body.Instructions.Where(i => i.OpCode.Code == Code.Call && i.Operand is MethodReference m && m.Name.EndsWith("Large", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(calls);
            Assert.All(calls, i => Assert.Equal(expected, ((MethodReference)i.Operand).Name));
        }
    }

    /// <summary>Format 5 when a body was outlined; a build without outlining stays format 4, which older runtimes read.</summary>
    [Fact]
    public void TheBuildSaysWhetherItHasOutlinedBodies()
    {
        static int FormatOf(string path)
        {
            using var module = ModuleDefinition.ReadModule(path);
            var marker = Assert.Single(module.Assembly.CustomAttributes, a => a.AttributeType.Name == "PatchableAssemblyAttribute");
            return (int)marker.ConstructorArguments[2].Value;
        }
        Assert.Equal(PatchSiteFormat.Version, FormatOf(Build.Value.Outlined));
        Assert.Equal(PatchSiteFormat.InlineClonesVersion, FormatOf(Build.Value.Plain));
        Assert.True(PatchSiteFormat.Reads(PatchSiteFormat.Version));
        // The option on, nothing large enough: format 4.
        var small = InlineAssembly.Compile(InlineAssembly.TempDirectory("outlined-none"), "OutlinedNone", "public static class S { public static int F(int x) => x * 2; }");
        var output = Path.Combine(InlineAssembly.TempDirectory("outlined-none-out"), "OutlinedNone.dll");
        Assert.Equal(0, AssemblyInstrumenter.Instrument(small, output, new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = 128 }).OutlinedBodies);
        Assert.Equal(PatchSiteFormat.InlineClonesVersion, FormatOf(output));
    }

    /// <summary>
    /// The moved body's symbols move with it (read back from the written PDB): every sequence point at the instruction
    /// it had, the local names in their scopes; the forwarder has none, so a debugger steps through it.
    /// </summary>
    [Fact]
    public void TheMovedBodyKeepsItsLinesAndLocalNames()
    {
        using var original = Read(Build.Value.Original);
        using var outlined = Read(Build.Value.Outlined);
        var before = Method(original, "Large");
        var clone = Method(outlined, PatchSiteFormat.InlineClonePrefix + "Large");
        var forwarder = Method(outlined, "Large");

        static List<string> Points(MethodDefinition m)
        {
            var index = m.Body.Instructions.Select((i, n) => (i.Offset, n)).ToDictionary(x => x.Offset, x => x.n);
            return m.DebugInformation.SequencePoints
                .Select(p => $"{index[p.Offset]} {Path.GetFileName(p.Document.Url)} {p.StartLine}:{p.StartColumn}-{p.EndLine}:{p.EndColumn}")
                .ToList();
        }
        static List<string> Locals(MethodDefinition m)
            => m.DebugInformation.GetScopes().SelectMany(s => s.Variables.Select(v => $"{v.Index} {v.Name}")).OrderBy(x => x, StringComparer.Ordinal).ToList();

        Assert.NotEmpty(Points(before));
        Assert.Equal(Points(before), Points(clone));
        Assert.Contains("0 text", Locals(before));
        Assert.Equal(Locals(before), Locals(clone));
        Assert.Empty(forwarder.DebugInformation.SequencePoints);
        Assert.Empty(forwarder.DebugInformation.GetScopes());
    }

    /// <summary>
    /// An exception thrown in the moved body has its source line, in a frame of the clone under the method's frame
    /// (docs/patch-sites.md, "Outlined bodies": what a stack trace shows).
    /// </summary>
    [Fact]
    public void AnExceptionInTheMovedBodyHasItsLine()
    {
        var type = SampleBuild.Load(Build.Value.Outlined).GetType("Outlined")!;
        var large = type.GetMethod("Large")!;
        var plain = SampleBuild.Load(Build.Value.Original).GetType("Outlined")!.GetMethod("Large")!;
        Assert.Equal("9000;|6|3:3:5", (string)plain.Invoke(null, [new[] { 0, 1 }, 5])!);
        Assert.Equal("9000;|6|3:3:5", (string)large.Invoke(null, [new[] { 0, 1 }, 5])!);
        var thrown = Assert.Throws<TargetInvocationException>(() => large.Invoke(null, [new[] { 1, 50 }, 5])).InnerException!;
        Assert.IsType<ArgumentOutOfRangeException>(thrown);
        var frame = new StackTrace(thrown, fNeedFileInfo: true).GetFrames().First(f => f.GetMethod()?.DeclaringType == type);
        int throwLine = Source.Split('\n').Select((l, n) => (l, n)).First(x => x.l.Contains("throw new ArgumentOutOfRangeException", StringComparison.Ordinal)).n + 1;
        Assert.Equal(PatchSiteFormat.InlineClonePrefix + "Large", frame.GetMethod()!.Name);
        Assert.Equal(throwLine, frame.GetFileLineNumber());
    }
}
