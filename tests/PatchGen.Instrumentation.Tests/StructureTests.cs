using System.Diagnostics;
using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;
using PatchGen.Diff;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>What the output looks like: a site on every eligible method, the site table and its stubs,
/// symbols that still map, deterministic bytes, and refused inputs (the exact code: <see cref="Golden.InstrumenterGoldenTests"/>).</summary>
public class StructureTests
{
    private static AssemblyDefinition ReadOutput(string path)
        => AssemblyDefinition.ReadAssembly(path, new ReaderParameters { ReadSymbols = File.Exists(Path.ChangeExtension(path, ".pdb")) });

    /// <summary>The slot a method checks on entry (docs/patch-sites.md), or null when it has no site.</summary>
    /// <summary>
    /// The clone an outlined method forwards to (site format 5): <c>ldsfld; brtrue; ldarg...; call &lt;PatchGen&gt;c$M; ret</c>,
    /// or null (a small recursive method also calls its own clone, but not as its whole body).
    /// </summary>
    internal static MethodDefinition? OutlinedInto(MethodDefinition method)
    {
        if (!method.HasBody)
            return null;
        var code = method.Body.Instructions;
        int call = 2 + method.Parameters.Count + (method.HasThis ? 1 : 0);
        return code.Count > call + 1 && code[call].OpCode.Code == Code.Call && code[call + 1].OpCode.Code == Code.Ret
            && code[call].Operand is MethodDefinition clone && clone.DeclaringType == method.DeclaringType
            && clone.Name == PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + method.Name
            ? clone : null;
    }

    internal static FieldReference? SlotOf(MethodDefinition method)
        => method.HasBody && method.Body.Instructions.Count > 1 && method.Body.Instructions[0].OpCode == OpCodes.Ldsfld
           && method.Body.Instructions[0].Operand is FieldReference { DeclaringType.Name: "<PatchGen>Sites" } slot ? slot : null;

    [Fact]
    public void EveryEligibleMethodHasExactlyOneSite()
    {
        using var original = AssemblyDefinition.ReadAssembly(SampleBuild.OriginalPath);
        using var output = ReadOutput(SampleBuild.InstrumentedPath);
        var eligible = original.MainModule.GetTypes().SelectMany(t => t.Methods)
            .Where(m => m.HasBody && !(m.IsConstructor && m.IsStatic) && !PatchGen.Cecil.Methods.AutoPropertyAccessor.Is(m))
            .Select(m => m.FullName).ToHashSet();

        var sites = new Dictionary<int, string>();
        foreach (var method in output.MainModule.GetTypes().Where(t => !t.FullName.StartsWith("<PatchGen>", StringComparison.Ordinal)).SelectMany(t => t.Methods))
        {
            var slot = SlotOf(method);
            if (slot is null)
            {
                Assert.DoesNotContain(method.FullName, eligible);
                continue;
            }
            int site = PatchGen.Diagnostics.PatchSiteFormat.SiteOfSlot(slot.Name);
            sites.Add(site, method.FullName);
            // The dispatch path ends the body: ldc.i4 N; ldarg...; call <PatchGen>Sites::d<k>; ret.
            var code = method.Body.Instructions;
            var dispatch = (Instruction)code[1].Operand;
            Assert.Equal(site, dispatch.OpCode.Code switch
            {
                Code.Ldc_I4 => (int)dispatch.Operand,
                Code.Ldc_I4_S => (sbyte)dispatch.Operand,
                _ => dispatch.OpCode.Code - Code.Ldc_I4_0,
            });
            var call = (MethodReference)code[^2].Operand;
            Assert.Equal("<PatchGen>Sites", call.DeclaringType.Name);
            Assert.Equal(method.DeclaringType.GenericParameters.Count + method.GenericParameters.Count, call.Resolve().GenericParameters.Count);
            Assert.Equal(OpCodes.Ret, code[^1].OpCode);
        }
        Assert.Equal(eligible.OrderBy(x => x), sites.Values.OrderBy(x => x));
        Assert.Equal(Enumerable.Range(0, sites.Count), sites.Keys.OrderBy(k => k));
        Assert.Equal(sites.Count, SampleBuild.Result.SiteCount);

        var marker = output.CustomAttributes.Single(a => a.AttributeType.FullName == "PatchGen.Runtime.PatchableAssemblyAttribute");
        Assert.Equal(sites.Count, (int)marker.ConstructorArguments[0].Value);
        Assert.Equal(original.MainModule.Mvid.ToString(), (string)marker.ConstructorArguments[1].Value);
        Assert.Equal(PatchGen.Diagnostics.PatchSiteFormat.Version, (int)marker.ConstructorArguments[2].Value);

        var table = output.MainModule.GetType("<PatchGen>Sites");
        Assert.True(table.IsAbstract && table.IsSealed && table.IsNotPublic && table.IsBeforeFieldInit);
        // No static constructor: reading a slot never costs a class-initialization check.
        Assert.DoesNotContain(table.Methods, m => m.IsConstructor);
        Assert.Equal(sites.Count, table.Fields.Count(f => PatchGen.Diagnostics.PatchSiteFormat.SiteOfSlot(f.Name) >= 0 && f.FieldType.FullName == "System.Boolean"));
        Assert.Equal("PatchGen.Runtime.Instrumentation.PatchSite[]", table.Fields.Single(f => f.Name == "Table").FieldType.FullName);
        Assert.Equal(SampleBuild.Result.StubCount, table.Methods.Count(m => m.Name.StartsWith('d')));
        // A full stub (d<k>, or d<k>t beside a steady one) is never inlined; a steady stub (the default's, for each
        // non-generic signature) always is, and calls its signature's full stub while a transition changes the function.
        Assert.True(table.Methods.All(m => m.IsStatic && m.Name.StartsWith('d')));
        var full = table.Methods.Where(m => m.NoInlining).ToList();
        var steady = table.Methods.Where(m => m.AggressiveInlining).ToList();
        Assert.Equal(table.Methods.Count, full.Count + steady.Count);
        Assert.NotEmpty(steady);
        Assert.All(steady, s => Assert.Contains(full, f => f.Name == s.Name + PatchGen.Diagnostics.PatchSiteFormat.TransitionStubSuffix && !f.HasGenericParameters));
        Assert.Empty(table.NestedTypes);
    }

    [Fact]
    public void AutoPropertyAccessorsGetNoSiteAndSmallMethodsStayInlineable()
    {
        using var original = AssemblyDefinition.ReadAssembly(SampleBuild.OriginalPath);
        using var output = ReadOutput(SampleBuild.InstrumentedPath);
        var calc = output.MainModule.GetType("Lib.Calc");
        Assert.Null(SlotOf(calc.Methods.Single(m => m.Name == "get_Last")));
        Assert.Null(SlotOf(calc.Methods.Single(m => m.Name == "set_Last")));
        Assert.Contains(SampleBuild.Result.Skipped, s => s.Method.Contains("get_Last") && s.Reason == "an auto-property accessor");
        // An indexer with a body is not an auto-property: it keeps its site.
        Assert.NotNull(SlotOf(calc.Methods.Single(m => m.Name == "get_Item")));

        // AggressiveInlining is added exactly to the small bodies the JIT inlines (at most 16 bytes, or at most 32
        // that return with no loop, switch or handler), and the slot says so.
        foreach (var method in original.MainModule.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            var rewritten = output.MainModule.GetType(method.DeclaringType.FullName).Methods.Single(m => m.FullName == method.FullName);
            var slot = SlotOf(rewritten);
            if (slot is null)
                continue;
            int size = method.Body.CodeSize;
            bool returns = method.Body.Instructions.Any(i => i.OpCode.Code == Mono.Cecil.Cil.Code.Ret);
            bool small = !method.NoInlining && !method.AggressiveInlining && !method.NoOptimization && returns
                && (size <= SiteEligibility.AlwaysInlineSize || (size <= SiteEligibility.ForcedInlineSize && SiteEligibility.LooksInlinable(method.Body)));
            Assert.Equal(small, slot.Name[0] == 'i');
            Assert.Equal(small || method.AggressiveInlining, rewritten.AggressiveInlining);
        }
    }

    [Fact]
    public void StaticConstructorsAndBodilessMethodsAreSkippedWithAReason()
    {
        var skipped = SampleBuild.Result.Skipped;
        Assert.Contains(skipped, s => s.Method.Contains("Calc::.cctor") && s.Reason.StartsWith("static constructor", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Method.Contains("IShape::Area") && s.Reason == "abstract");
    }

    [Fact]
    public void SymbolsStillMapToTheSourceLines()
    {
        Assert.True(SampleBuild.Result.SymbolsWritten);
        var fail = SampleBuild.Instrumented.GetType("Lib.Thrower", true)!.GetMethod("Fail")!;
        var e = Assert.Throws<TargetInvocationException>(() => fail.Invoke(null, new object[] { 1 })).InnerException!;
        var frame = new StackTrace(e, fNeedFileInfo: true).GetFrames().First(f => f.GetMethod()?.Name == "Fail");
        Assert.Equal(SampleLibrary.ThrowLine, frame.GetFileLineNumber());
        Assert.EndsWith("Sample.cs", frame.GetFileName());

        // Every sequence point still sits on the same original instruction.
        using var original = AssemblyDefinition.ReadAssembly(SampleBuild.OriginalPath, new ReaderParameters { ReadSymbols = true });
        using var output = ReadOutput(SampleBuild.InstrumentedPath);
        int compared = 0;
        foreach (var type in original.MainModule.GetTypes())
        {
            var rewritten = output.MainModule.GetType(type.FullName);
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                var after = rewritten.Methods.Single(m => m.FullName == method.FullName);
                // An outlined method's body, and its lines, are in its clone (site format 5); the forwarder has none.
                var outlinedInto = OutlinedInto(after);
                if (outlinedInto is not null)
                {
                    Assert.Empty(after.DebugInformation.SequencePoints);
                    after = outlinedInto;
                }
                var before = method.DebugInformation.SequencePoints.Select(p => (p.StartLine, p.StartColumn, Op(method, p.Offset))).ToList();
                var now = after.DebugInformation.SequencePoints.Select(p => (p.StartLine, p.StartColumn, Op(after, p.Offset))).ToList();
                Assert.Equal(before, now);
                compared += before.Count;
            }
        }
        Assert.True(compared > 100, compared.ToString());
    }

    [Fact]
    public void EmbeddedSymbolsStayEmbedded()
    {
        var dir = InlineAssembly.TempDirectory("embedded");
        var sourcePath = Path.Combine(dir, "Sample.cs");
        File.WriteAllText(sourcePath, SampleLibrary.Source);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(SampleLibrary.Source, path: sourcePath, encoding: System.Text.Encoding.UTF8);
        var input = Path.Combine(dir, "Sample.dll");
        using var stream = File.Create(input);
        var emitted = CaseCompiler.CreateCompilation(SampleLibrary.Name, new[] { tree })
            .Emit(stream, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.Embedded));
        Assert.True(emitted.Success);
        stream.Dispose();
        var output = Path.Combine(dir, "out", "Sample.dll");
        Assert.True(AssemblyInstrumenter.Instrument(input, output).SymbolsWritten);
        Assert.False(File.Exists(Path.ChangeExtension(output, ".pdb")));

        var fail = SampleBuild.Load(output).GetType("Lib.Thrower", true)!.GetMethod("Fail")!;
        var e = Assert.Throws<TargetInvocationException>(() => fail.Invoke(null, new object[] { 1 })).InnerException!;
        var frame = new StackTrace(e, fNeedFileInfo: true).GetFrames().First(f => f.GetMethod()?.Name == "Fail");
        Assert.Equal(SampleLibrary.ThrowLine, frame.GetFileLineNumber());
    }

    private static string Op(MethodDefinition method, int offset)
    {
        // Short and long forms of a branch may differ after the rewrite.
        return method.Body.Instructions.First(i => i.Offset == offset).OpCode.Name.Replace(".s", "", StringComparison.Ordinal);
    }

    [Fact]
    public void SameInputGivesTheSameBytes()
    {
        var dir = InlineAssembly.TempDirectory("deterministic");
        var a = Path.Combine(dir, "a", "Sample.dll");
        var b = Path.Combine(dir, "b", "Sample.dll");
        AssemblyInstrumenter.Instrument(SampleBuild.OriginalPath, a);
        AssemblyInstrumenter.Instrument(SampleBuild.OriginalPath, b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.Equal(File.ReadAllBytes(Path.ChangeExtension(a, ".pdb")), File.ReadAllBytes(Path.ChangeExtension(b, ".pdb")));
        Assert.Equal(File.ReadAllBytes(SampleBuild.InstrumentedPath), File.ReadAllBytes(a));
    }

    [Fact]
    public void AnInstrumentedAssemblyIsRefusedAndNothingIsWritten()
    {
        var dir = InlineAssembly.TempDirectory("twice");
        var output = Path.Combine(dir, "Again.dll");
        var e = Assert.Throws<PatchGenException>(() => AssemblyInstrumenter.Instrument(SampleBuild.InstrumentedPath, output));
        Assert.Equal("PG0001", e.Diagnostic.Id);
        Assert.Contains(SampleBuild.InstrumentedPath, e.Diagnostic.Message);
        Assert.Contains("already instrumented", e.Diagnostic.Message);
        Assert.DoesNotContain('\n', e.Diagnostic.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("truncated")]
    [InlineData("missing")]
    public void UnreadableInputIsPG0001(string kind)
    {
        var dir = InlineAssembly.TempDirectory("bad");
        var input = Path.Combine(dir, "Bad.dll");
        if (kind == "text")
            File.WriteAllText(input, "not an assembly");
        else if (kind == "truncated")
            File.WriteAllBytes(input, File.ReadAllBytes(SampleBuild.OriginalPath)[..2000]);
        var output = Path.Combine(dir, "out", "Bad.dll");
        var e = Assert.Throws<PatchGenException>(() => AssemblyInstrumenter.Instrument(input, output));
        Assert.Equal("PG0001", e.Diagnostic.Id);
        Assert.StartsWith(input + ": ", e.Diagnostic.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "out")).Any());
    }

    [Fact]
    public void RuntimeIsCopiedBesideAndRegisteredInDepsJson()
    {
        var dir = InlineAssembly.TempDirectory("deps");
        var input = Path.Combine(dir, "Sample.dll");
        File.Copy(SampleBuild.OriginalPath, input);
        File.WriteAllText(Path.Combine(dir, "App.deps.json"), """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0", "signature": "" },
              "compilationOptions": {},
              "targets": { ".NETCoreApp,Version=v10.0": { "App/1.0.0": { "runtime": { "App.dll": {} } } } },
              "libraries": { "App/1.0.0": { "type": "project", "serviceable": false, "sha512": "" } }
            }
            """);
        AssemblyInstrumenter.Instrument(input, input);
        Assert.True(File.Exists(Path.Combine(dir, "PatchGen.Runtime.dll")));
        Assert.True(File.Exists(Path.Combine(dir, "PatchGen.Diagnostics.dll")));
        var deps = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "App.deps.json")))!;
        var target = deps["targets"]![".NETCoreApp,Version=v10.0"]!;
        Assert.NotNull(target["App/1.0.0"]);
        Assert.NotNull(target["PatchGen.Runtime/0.1.0"]!["runtime"]!["PatchGen.Runtime.dll"]);
        Assert.NotNull(target["PatchGen.Diagnostics/0.1.0"]!["runtime"]!["PatchGen.Diagnostics.dll"]);
        Assert.Equal("project", (string)deps["libraries"]!["PatchGen.Runtime/0.1.0"]!["type"]!);
        Assert.Equal("", (string)deps["runtimeTarget"]!["signature"]!);
        // In place: the input is now the instrumented build; no temporary file is left.
        Assert.Throws<PatchGenException>(() => AssemblyInstrumenter.Instrument(input, input));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }
}
