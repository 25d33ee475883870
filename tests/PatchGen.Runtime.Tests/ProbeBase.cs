using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.Runtime;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// A small base assembly written as plain C#, rewritten by the real instrumenter (<c>patchgen instrument</c>)
/// and loaded into the default load context under a fresh name for each test (so tests never share sites),
/// plus patches for it compiled on demand. A patch written by hand must carry a copy of the original body
/// of every method it replaces (<c>[Original]</c>, docs/patch-sites.md); <see cref="Patch"/> adds those from
/// the probe's table of original bodies, so each test states only its replacements.
/// </summary>
internal sealed class ProbeBase
{
    public const string Source = """
        using System.Threading;
        namespace Probe;

        public class Calc
        {
            /// <summary>Released by tests to let a thread parked in <see cref="Block"/> go on.</summary>
            public static readonly ManualResetEventSlim Gate = new(false);
            public static readonly ManualResetEventSlim Parked = new(false);
            public static int Observed;

            public int Outer(int x) => Inner(x) * 10 + Leaf(x);

            public int Inner(int x) => x + 1;

            public int Leaf(int x) => x;

            /// <summary>Parks until <see cref="Gate"/> is set, then calls <see cref="Inner"/>.</summary>
            public int Block(int x) { Parked.Set(); Gate.Wait(); Observed = Inner(x); return Observed; }

            /// <summary>Calls Inner twice and Outer (for the stress test: their versions must agree).</summary>
            public int Chain(int x) { int first = Inner(x); Thread.SpinWait(20); int second = Inner(x); return first == second ? Outer(x) : -1; }

            public int Touch(int x) => x;
        }
        """;

    /// <summary>The original bodies of <see cref="Source"/>'s methods, as patch methods (for the <c>[Original]</c> copies).</summary>
    public static readonly IReadOnlyDictionary<string, string> SourceOriginals = new Dictionary<string, string>
    {
        ["M:Probe.Calc.Outer(System.Int32)"] = "public static int Outer(Probe.Calc self, int x) => self.Inner(x) * 10 + self.Leaf(x);",
        ["M:Probe.Calc.Inner(System.Int32)"] = "public static int Inner(Probe.Calc self, int x) => x + 1;",
        ["M:Probe.Calc.Leaf(System.Int32)"] = "public static int Leaf(Probe.Calc self, int x) => x;",
        ["M:Probe.Calc.Block(System.Int32)"] = "public static int Block(Probe.Calc self, int x) { Probe.Calc.Parked.Set(); Probe.Calc.Gate.Wait(); Probe.Calc.Observed = self.Inner(x); return Probe.Calc.Observed; }",
        ["M:Probe.Calc.Chain(System.Int32)"] = "public static int Chain(Probe.Calc self, int x) { int first = self.Inner(x); System.Threading.Thread.SpinWait(20); int second = self.Inner(x); return first == second ? self.Outer(x) : -1; }",
        ["M:Probe.Calc.Touch(System.Int32)"] = "public static int Touch(Probe.Calc self, int x) => x;",
    };

    private static int s_counter;
    private readonly IReadOnlyDictionary<string, string> _originals;

    private ProbeBase(string name, System.Reflection.Assembly assembly, byte[] image, IReadOnlyDictionary<string, string> originals)
    {
        Name = name;
        Assembly = assembly;
        Image = image;
        _originals = originals;
        Mvid = Assembly.ManifestModule.ModuleVersionId;
        Calc = Assembly.GetType("Probe.Calc") is { } calc ? Activator.CreateInstance(calc)! : new object();
    }

    public string Name { get; }

    public System.Reflection.Assembly Assembly { get; }

    public byte[] Image { get; }

    public Guid Mvid { get; }

    /// <summary>An instance of Probe.Calc.</summary>
    public object Calc { get; }

    /// <summary><see cref="Source"/> (or <paramref name="source"/> with its own <paramref name="originals"/>), instrumented and loaded.</summary>
    public static ProbeBase Create(string? source = null, IReadOnlyDictionary<string, string>? originals = null)
        => CreateInstrumented(source ?? Source, originals ?? (source is null ? SourceOriginals : new Dictionary<string, string>()));

    /// <summary>
    /// A base written as plain C#, compiled, then rewritten by the real instrumenter
    /// (<c>patchgen instrument</c>) and loaded into the default context, as an application would be.
    /// Without inline clones or outlined bodies (site format 3): the tests' patches are written by hand and replace exactly the
    /// functions they name, where a patch of a base with clones must also replace every caller of a changed
    /// method's clone, which the emitter works out (PatchGen.Emit.Tests' InlineClonePatchTests and InlineCloneStressTests, the CLI's live
    /// tests). The runtime's rules for inlined copies that do carry a check are what these tests exercise. With the
    /// default's steady dispatch stubs unless <paramref name="steadyStubs"/> is false (<c>--no-steady-stubs</c>).
    /// </summary>
    public static ProbeBase CreateInstrumented(string plainSource, IReadOnlyDictionary<string, string>? originals = null, bool inlineClones = false, bool steadyStubs = true)
    {
        var name = NewName();
        var plain = PatchGen.TestSupport.InlineAssembly.Compile(PatchGen.TestSupport.InlineAssembly.TempDirectory("probe"), name, plainSource);
        var output = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("probe-instrumented"), name + ".dll");
        PatchGen.Instrumentation.AssemblyInstrumenter.Instrument(plain, output, new PatchGen.Instrumentation.InstrumentOptions
        {
            CopyRuntime = false,
            InlineCloneMaxCodeSize = inlineClones ? PatchGen.Instrumentation.SiteEligibility.InlineCloneDefaultSize : 0,
            OutlineBodiesOver = inlineClones ? PatchGen.Instrumentation.SiteEligibility.InlineCloneDefaultSize : 0,
            InlineSteadyStubs = steadyStubs,
        });
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(output);
        return new ProbeBase(name, assembly, File.ReadAllBytes(output), originals ?? new Dictionary<string, string>());
    }

    private static string NewName() => "Probe" + Interlocked.Increment(ref s_counter) + "_" + Guid.NewGuid().ToString("N")[..6];

    public int Call(string method, int x) => (int)Calc.GetType().GetMethod(method)!.Invoke(Calc, new object[] { x })!;

    public Func<int, int> Method(string method) => Calc.GetType().GetMethod(method)!.CreateDelegate<Func<int, int>>(Calc);

    /// <summary>
    /// Compiles a patch for this base: <paramref name="body"/> holds the replacement methods of a static
    /// class; the copy of the original of every method it replaces is added unless <paramref name="withOriginals"/> is false.
    /// </summary>
    public byte[] Patch(string id, string body, bool cumulative = false, string assemblyAttributes = "", bool withOriginals = true, int? formatVersion = null)
    {
        var originals = new System.Text.StringBuilder();
        if (withOriginals)
        {
            foreach (Match replaced in Regex.Matches(body, @"\[Replaces\(""([^""]+)"""))
            {
                if (_originals.TryGetValue(replaced.Groups[1].Value, out var original))
                    originals.Append("    [Original(\"").Append(replaced.Groups[1].Value).Append("\")] ").AppendLine(original);
            }
        }
        var source = $$"""
            using PatchGen.Runtime;
            [assembly: Patch("{{id}}", "{{Name}}", "{{Mvid}}", Cumulative = {{(cumulative ? "true" : "false")}}{{(formatVersion is int v ? ", FormatVersion = " + v : "")}})]
            {{assemblyAttributes}}
            public sealed class Replacements
            {
            {{body}}
            }
            public static class Originals
            {
            {{originals}}
            }
            """;
        return Compiler.Compile(id.Replace('-', '_') + "_" + Guid.NewGuid().ToString("N")[..6], source, Image);
    }

    /// <summary>A replacement of <c>Calc.Inner</c> returning <paramref name="expression"/> (over x).</summary>
    public static string Inner(string expression) => $"[Replaces(\"M:Probe.Calc.Inner(System.Int32)\")] public static int Inner(Probe.Calc self, int x) => {expression};";

    public static string Outer(string expression) => $"[Replaces(\"M:Probe.Calc.Outer(System.Int32)\")] public static int Outer(Probe.Calc self, int x) => {expression};";

    public static string Leaf(string expression) => $"[Replaces(\"M:Probe.Calc.Leaf(System.Int32)\")] public static int Leaf(Probe.Calc self, int x) => {expression};";

    public static string Block(string expression) => $"[Replaces(\"M:Probe.Calc.Block(System.Int32)\")] public static int Block(Probe.Calc self, int x) => {expression};";
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
