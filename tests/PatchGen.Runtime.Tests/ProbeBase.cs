using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.Runtime;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// A small base assembly, instrumented by hand to the exact shape of docs/patch-sites.md, compiled and
/// loaded into the default load context under a fresh name for each test (so tests never share sites),
/// plus patches for it compiled on demand. Source macros keep the hand instrumentation readable:
/// <c>TRACKED(site, Delegate, args)</c> ... <c>END</c> wraps a tracked body; <c>LEAF(site, Delegate, args)</c>
/// starts a leaf body.
/// </summary>
internal sealed class ProbeBase
{
    public const string Source = """
        using System.Threading;
        using PatchGen.Runtime;
        using PatchGen.Runtime.Instrumentation;
        [assembly: PatchableAssembly(6, "00000000-0000-0000-0000-000000000000", PatchableAssemblyAttribute.CurrentFormatVersion)]
        namespace Probe;

        public delegate int IntFn(Calc self, int x);

        public static class Sites
        {
            public static readonly int Base = PatchSites.RegisterAssembly(typeof(Sites).TypeHandle, 6);
            public static PatchSite? s0, s1, s2, s3, s4, s5;
        }

        public class Calc
        {
            /// <summary>Released by tests to let a thread parked in <see cref="Block"/> go on.</summary>
            public static readonly ManualResetEventSlim Gate = new(false);
            public static readonly ManualResetEventSlim Parked = new(false);
            public static int Observed;

            [PatchSite(0, typeof(IntFn))]
            public int Outer(int x) { TRACKED(0, IntFn, this, x) return Inner(x) * 10 + Leaf(x); END }

            [PatchSite(1, typeof(IntFn))]
            public int Inner(int x) { TRACKED(1, IntFn, this, x) return x + 1; END }

            [PatchSite(2, typeof(IntFn))]
            public int Leaf(int x) { LEAF(2, IntFn, this, x) return x; }

            /// <summary>Parks until <see cref="Gate"/> is set, then calls <see cref="Inner"/>.</summary>
            [PatchSite(3, typeof(IntFn))]
            public int Block(int x) { TRACKED(3, IntFn, this, x) Parked.Set(); Gate.Wait(); Observed = Inner(x); return Observed; END }

            /// <summary>Calls Outer (for the stress test: its version and Inner's must agree).</summary>
            [PatchSite(4, typeof(IntFn))]
            public int Chain(int x) { TRACKED(4, IntFn, this, x) int first = Inner(x); Thread.SpinWait(20); int second = Inner(x); return first == second ? Outer(x) : -1; END }

            [PatchSite(5, typeof(IntFn))]
            public int Touch(int x) { TRACKED(5, IntFn, this, x) return x; END }
        }
        """;

    private static int s_counter;

    private ProbeBase(string name, AssemblyLoadContextAssembly loaded)
    {
        Name = name;
        Assembly = loaded.Assembly;
        Image = loaded.Image;
        Mvid = Assembly.ManifestModule.ModuleVersionId;
        Calc = Activator.CreateInstance(Assembly.GetType("Probe.Calc")!)!;
    }

    public string Name { get; }

    public System.Reflection.Assembly Assembly { get; }

    public byte[] Image { get; }

    public Guid Mvid { get; }

    /// <summary>An instance of Probe.Calc.</summary>
    public object Calc { get; }

    public static ProbeBase Create(string? source = null)
    {
        var name = NewName();
        var image = Compiler.Compile(name, Expand(source ?? Source));
        var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image));
        // An instrumented assembly registers its sites when its site table is first touched; the
        // runtime finds an unregistered one by the table's reserved name, which C# cannot spell.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(assembly.GetType("Probe.Sites")!.TypeHandle);
        return new ProbeBase(name, new AssemblyLoadContextAssembly(assembly, image));
    }

    /// <summary>
    /// A base written as plain C#, compiled, then rewritten by the real instrumenter
    /// (<c>patchgen instrument</c>) and loaded into the default context, as an application would be.
    /// </summary>
    public static ProbeBase CreateInstrumented(string plainSource)
    {
        var name = NewName();
        var plain = PatchGen.TestSupport.InlineAssembly.Compile(PatchGen.TestSupport.InlineAssembly.TempDirectory("probe"), name, plainSource);
        var output = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("probe-instrumented"), name + ".dll");
        PatchGen.Instrumentation.AssemblyInstrumenter.Instrument(plain, output, new PatchGen.Instrumentation.InstrumentOptions { CopyRuntime = false });
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(output);
        return new ProbeBase(name, new AssemblyLoadContextAssembly(assembly, File.ReadAllBytes(output)));
    }

    private static string NewName() => "Probe" + Interlocked.Increment(ref s_counter) + "_" + Guid.NewGuid().ToString("N")[..6];

    public int Call(string method, int x) => (int)Calc.GetType().GetMethod(method)!.Invoke(Calc, new object[] { x })!;

    public Func<int, int> Method(string method) => Calc.GetType().GetMethod(method)!.CreateDelegate<Func<int, int>>(Calc);

    /// <summary>Compiles a patch for this base: <paramref name="body"/> holds the replacement methods of a static class.</summary>
    public byte[] Patch(string id, string body, bool cumulative = false, string assemblyAttributes = "")
    {
        var source = $$"""
            using PatchGen.Runtime;
            [assembly: Patch("{{id}}", "{{Name}}", "{{Mvid}}", Cumulative = {{(cumulative ? "true" : "false")}})]
            {{assemblyAttributes}}
            public sealed class Replacements
            {
            {{body}}
            }
            """;
        return Compiler.Compile(id.Replace('-', '_') + "_" + Guid.NewGuid().ToString("N")[..6], source, Image);
    }

    /// <summary>A replacement of <c>Calc.Inner</c> returning <paramref name="expression"/> (over x).</summary>
    public static string Inner(string expression) => $"[Replaces(\"M:Probe.Calc.Inner(System.Int32)\")] public static int Inner(Probe.Calc self, int x) => {expression};";

    public static string Outer(string expression) => $"[Replaces(\"M:Probe.Calc.Outer(System.Int32)\")] public static int Outer(Probe.Calc self, int x) => {expression};";

    public static string Leaf(string expression) => $"[Replaces(\"M:Probe.Calc.Leaf(System.Int32)\")] public static int Leaf(Probe.Calc self, int x) => {expression};";

    public static string Block(string expression) => $"[Replaces(\"M:Probe.Calc.Block(System.Int32)\")] public static int Block(Probe.Calc self, int x) => {expression};";

    private static string Expand(string source)
    {
        source = Regex.Replace(source, @"TRACKED\((\d+), (\w+), ([^)]*)\)", m =>
            $"var __ss = ThreadPatchState.Enter(Sites.Base + {m.Groups[1].Value}); try {{ var __p = Volatile.Read(ref Sites.s{m.Groups[1].Value}); if (__p != null) {{ var __d = __p.Resolve(__ss); if (__d != null) return (({m.Groups[2].Value})__d)({m.Groups[3].Value}); }}");
        source = source.Replace(" END }", " } finally { __ss.Exit(); } }");
        source = Regex.Replace(source, @"LEAF\((\d+), (\w+), ([^)]*)\)", m =>
            $"{{ var __p = Sites.s{m.Groups[1].Value}; if (__p != null) {{ var __d = __p.Resolve(null); if (__d != null) return (({m.Groups[2].Value})__d)({m.Groups[3].Value}); }} }}");
        return source;
    }

    private sealed record AssemblyLoadContextAssembly(System.Reflection.Assembly Assembly, byte[] Image);
}

/// <summary>Roslyn in memory, against the .NET 10 reference assemblies and PatchGen.Runtime.</summary>
internal static class Compiler
{
    public static byte[] Compile(string assemblyName, string source, params byte[][] references)
    {
        var refs = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(PatchRuntime).Assembly.Location))
            .Concat(references.Select(r => MetadataReference.CreateFromImage(r)));
        var compilation = CSharpCompilation.Create(assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
            refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException("does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);
        return stream.ToArray();
    }
}
