using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Cecil.Methods;
using PatchGen.Diff;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// Inline clones (site format 4, docs/patch-sites.md "Inline clones") on the sample library, as the instrumenter writes
/// them by default: small methods that direct calls always run and that a method with a site calls directly get a site-less clone, every direct call in a method with a site goes to
/// a clone, the originals keep their sites, and the diff engine's view removes the clones, points the calls back and
/// says which methods a patch of a cloned method must replace with it.
/// </summary>
public class InlineCloneTests
{
    private static readonly Lazy<(string Path, InstrumentResult Result)> Cloned = new(() => (SampleBuild.InstrumentedPath, SampleBuild.Result));

    private static readonly Lazy<(string Path, InstrumentResult Result)> Unclones = new(() =>
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("sample-noclones"), SampleLibrary.Name + ".dll");
        var result = AssemblyInstrumenter.Instrument(SampleBuild.OriginalPath, output, new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0 });
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

        // An outlined method (site format 5, over 128 bytes) is called by name: its clone's one caller is its forwarder.
        static bool IsForwarderTo(MethodDefinition method, MethodDefinition clone) => StructureTests.OutlinedInto(method) == clone;
        var outlined = methods.Where(m => StructureTests.OutlinedInto(m) is not null).ToHashSet();
        Assert.NotEmpty(outlined);
        var cloned = clones.Select(c => (c.DeclaringType.FullName, InlineClone.OriginalName(c.Name)))
            .Except(outlined.Select(m => (m.DeclaringType.FullName, m.Name))).ToHashSet();
        int callsOfClones = 0;
        foreach (var (method, instruction) in methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions.Select(i => (m, i))))
        {
            if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj) || instruction.Operand is not MethodReference target
                || target.Resolve() is not { } resolved || resolved.Module != module)
                continue;
            if (InlineClone.Is(resolved))
                callsOfClones += IsForwarderTo(method, resolved) ? 0 : 1;
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
        // The default build also outlines the sample's large methods: format 5.
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
    /// The entry point keeps calling the originals: it runs for the life of the process, so a patch that replaced it
    /// for running an inlined copy could only complete by force. The same call elsewhere uses the clone.
    /// </summary>
    [Fact]
    public void TheEntryPointKeepsCallingTheOriginal()
    {
        var directory = InlineAssembly.TempDirectory("clones-entry");
        var path = InlineAssembly.Compile(directory, "ClonesEntry", """
            public static class Program
            {
                public static int Twice(int x) => x * 2;
                public static int Main(string[] args) => Twice(args.Length) + Use();
                public static int Use() => Twice(3);
            }
            """);
        // Made an application: the entry point is what the module says (a library compilation has none).
        var app = Path.Combine(directory, "app", "ClonesEntry.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(app)!);
        using (var compiled = ModuleDefinition.ReadModule(path))
        {
            compiled.EntryPoint = compiled.GetType("Program").Methods.Single(m => m.Name == "Main");
            compiled.Write(app);
        }

        var output = Path.Combine(InlineAssembly.TempDirectory("clones-entry-out"), "ClonesEntry.dll");
        AssemblyInstrumenter.Instrument(app, output, new InstrumentOptions { CopyRuntime = false });
        using var module = ModuleDefinition.ReadModule(output);
        var program = module.GetType("Program");
        static IEnumerable<string> Calls(MethodDefinition m) => m.Body.Instructions.Where(i => i.OpCode.Code == Code.Call).Select(i => ((MethodReference)i.Operand).Name);
        Assert.Contains("Twice", Calls(module.EntryPoint));
        Assert.DoesNotContain(PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + "Twice", Calls(module.EntryPoint));
        Assert.Contains(PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + "Twice", Calls(program.Methods.Single(m => m.Name == "Use")));
        // So a patch of Twice replaces Use with it, and not Main.
        var callers = InstrumentationView.Restore(module);
        Assert.Equal(["Use"], callers.Of(program.Methods.Single(m => m.Name == "Twice")).Select(m => m.Name));
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
        // Nothing calls Unrelated directly: no clone, so a patch of it replaces it alone.
        Assert.False(callers.IsCloned(M("Unrelated")));
        Assert.Empty(Of("Unrelated"));
    }

    /// <summary>
    /// Which methods get a clone: those a direct call always runs (non-virtual, or final: an interface method C#
    /// declared non-virtual, a sealed override), bodies with exception handlers included, and only when a method with
    /// a site calls them directly. The clone is never virtual and has its original's handlers.
    /// </summary>
    [Fact]
    public void FinalMethodsAndBodiesWithHandlersAreClonedWhenCalledDirectly()
    {
        var path = InlineAssembly.Compile(InlineAssembly.TempDirectory("clones-rule"), "ClonesRule", """
            public interface IShape { int Area(); int Sides(); }
            public abstract class Base { public abstract int Kind(); public virtual int Weight() => 1; }
            public sealed class Square : Base, IShape
            {
                private int _side = 2;
                public int Area() => _side * _side;
                int IShape.Sides() => 4;
                public sealed override int Kind() => 4;
                public override int Weight() => 2;
                public int Guarded() { try { return _side; } finally { _side++; } }
                public int Caught() { try { return 100 / _side; } catch (System.DivideByZeroException) { return 0; } }
                public int Unused() => _side + 1;
                public int Use(IShape shape) => Area() + Guarded() + Caught() + Kind() + Weight() + shape.Area() + shape.Sides();
            }
            """);
        var output = Path.Combine(InlineAssembly.TempDirectory("clones-rule-out"), "ClonesRule.dll");
        AssemblyInstrumenter.Instrument(path, output, new InstrumentOptions { CopyRuntime = false });
        using var module = ModuleDefinition.ReadModule(output);
        var square = module.GetType("Square");
        var names = square.Methods.Select(m => m.Name).ToHashSet();
        string Clone(string name) => PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + name;

        // Area is final (it implements IShape), Guarded and Caught have handlers: cloned. Kind is a sealed override,
        // but C# calls it through Base::Kind, so nothing names it directly: no clone; Weight is virtual and not
        // final; the explicit IShape.Sides cannot be named; nothing calls Unused.
        Assert.Contains(Clone("Area"), names);
        Assert.Contains(Clone("Guarded"), names);
        Assert.Contains(Clone("Caught"), names);
        Assert.DoesNotContain(Clone("Kind"), names);
        Assert.DoesNotContain(Clone("Weight"), names);
        Assert.DoesNotContain(Clone("IShape.Sides"), names);
        Assert.DoesNotContain(Clone("Unused"), names);

        var area = square.Methods.Single(m => m.Name == Clone("Area"));
        Assert.False(area.IsVirtual || area.IsFinal || area.IsNewSlot);
        Assert.Null(StructureTests.SlotOf(area));
        var caught = square.Methods.Single(m => m.Name == Clone("Caught"));
        var original = square.Methods.Single(m => m.Name == "Caught");
        var handler = Assert.Single(caught.Body.ExceptionHandlers);
        Assert.Equal(ExceptionHandlerType.Catch, handler.HandlerType);
        Assert.Equal(original.Body.ExceptionHandlers[0].CatchType.FullName, handler.CatchType.FullName);
        Assert.Contains(handler.TryStart, caught.Body.Instructions);
        Assert.Contains(handler.HandlerEnd, caught.Body.Instructions);

        // Use calls Area directly (the clone) and through IShape (the interface method: the original, with its site).
        var calls = square.Methods.Single(m => m.Name == "Use").Body.Instructions
            .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt).Select(i => ((MethodReference)i.Operand).DeclaringType.Name + "::" + ((MethodReference)i.Operand).Name).ToList();
        Assert.Contains("Square::" + Clone("Area"), calls);
        Assert.Contains("IShape::Area", calls);
        Assert.Contains("Base::Kind", calls);
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
