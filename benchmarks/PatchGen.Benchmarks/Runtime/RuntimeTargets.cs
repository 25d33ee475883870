using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.Instrumentation;
using PatchGen.Runtime;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// The code the runtime benchmarks call, built in this process: each library is compiled twice with
/// Roslyn (Release) from the same sources, once under its own name and instrumented by
/// <see cref="AssemblyInstrumenter"/>, once under the name <c>...Plain</c> and left alone. Both copies
/// are loaded into the default load context (the runtime looks for a patch's target there, by simple
/// name and MVID), so the only difference between them is the instrumentation (site format 3: see
/// <see cref="Build"/>).
/// </summary>
internal static class RuntimeTargets
{
    /// <summary>
    /// The micro library. Every method gets a patch site (docs/patch-sites.md); what differs is how it is called: a
    /// leaf (no call) and a non-leaf method, each small enough for the JIT to inline its site with it, a method the
    /// JIT never inlines, and loops that call each directly. <c>Other</c> is what the "another function patched"
    /// variants patch: nothing the benchmarks call.
    /// </summary>
    public const string CalcSource = """
        using System.Runtime.CompilerServices;

        namespace PgBench;

        public class Calc
        {
            public int Scale = 3;

            /// <summary>A leaf: arithmetic and a field read, no call.</summary>
            public int Leaf(int x) => x * Scale + 1;

            /// <summary>Not a leaf (it calls <see cref="Twice"/>), otherwise as small as <see cref="Leaf"/>.</summary>
            public int NonLeaf(int x) => Twice(x) + 1;

            public int Twice(int x) => x + x;

            /// <summary><see cref="Leaf"/>'s body in a method the JIT never inlines (what a large method is to its callers).</summary>
            [MethodImpl(MethodImplOptions.NoInlining)]
            public int Opaque(int x) => x * Scale + 1;

            /// <summary>Patched by the "other patched" variants; never called by the benchmarks.</summary>
            public int Other(int x) => x - Scale;

            /// <summary>n direct calls of <see cref="Leaf"/> (the JIT inlines it, site and all).</summary>
            public int LeafLoop(int n)
            {
                int sum = 0;
                for (int i = 0; i < n; i++)
                    sum += Leaf(i);
                return sum;
            }

            /// <summary>n direct calls of <see cref="NonLeaf"/> (inlined, with <see cref="Twice"/> inside it).</summary>
            public int NonLeafLoop(int n)
            {
                int sum = 0;
                for (int i = 0; i < n; i++)
                    sum += NonLeaf(i);
                return sum;
            }

            /// <summary>n direct calls of <see cref="Opaque"/>, each a real call.</summary>
            public int OpaqueLoop(int n)
            {
                int sum = 0;
                for (int i = 0; i < n; i++)
                    sum += Opaque(i);
                return sum;
            }
        }
        """;

    /// <summary>Added to ShopService's own sources (in both copies): a pricing call without the request parsing and JSON.</summary>
    public const string ShopDriverSource = """
        using ShopService.Domain;
        using ShopService.Pricing;

        namespace ShopService.Bench;

        public static class PricingDriver
        {
            private static readonly PriceQuoter Quoter = new(Catalog.CreateDefault(), DiscountEngine.CreateDefault(), new TaxCalculator());

            private static readonly Cart Cart = new Cart { Coupon = "SAVE10" }
                .Add("MUG-001", 1).Add("BOOK-001", 2).Add("COFFEE-1", 1).Add("CABLE-01", 12).Add("GIFT-025", 1);

            /// <summary>Prices the same five-line cart (lookups, bulk discount, coupon, tax per line).</summary>
            public static decimal QuoteTotal() => Quoter.Quote(Cart).Total;
        }
        """;

    /// <summary>The request the ShopService benchmarks send: parsing, pricing, JSON.</summary>
    public const string ShopRequest = "QUOTE MUG-001:1,BOOK-001:2,COFFEE-1:1,CABLE-01:12,GIFT-025:1 coupon=SAVE10";

    private static readonly string WorkDirectory = Path.Combine(Path.GetTempPath(), "patchgen-bench", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Lazy<TargetPair> CalcPair = new(() => Build("PgBench", [CalcSource]));

    private static readonly Lazy<TargetPair> ShopPair = new(() => Build("ShopService", ShopSources()));

    // The calc library once more, with out-of-line dispatch stubs only (no steady stubs, docs/patch-sites.md "Steady
    // stubs"), under another assembly name so that both load side by side (CallAbHarness).
    private static readonly Lazy<TargetPair> CalcOutOfLinePair = new(() => Build("PgBenchOutOfLine", [CalcSource], inlineSteadyStubs: false));

    // And with out-of-line stubs that call the version instead of jumping to it (InstrumentOptions.TailCallStubs off).
    private static readonly Lazy<TargetPair> CalcCallingStubsPair = new(() => Build("PgBenchCallingStubs", [CalcSource], inlineSteadyStubs: false, tailCallStubs: false));

    public static TargetPair Calc => CalcPair.Value;

    public static TargetPair CalcOutOfLine => CalcOutOfLinePair.Value;

    /// <summary>The micro library instrumented with stubs that call the version instead of jumping to it (InstrumentOptions.TailCallStubs off).</summary>
    public static TargetPair CalcCallingStubs => CalcCallingStubsPair.Value;

    public static TargetPair Shop => ShopPair.Value;

    /// <summary>
    /// A patch of <c>Calc.Leaf</c>, <c>Calc.NonLeaf</c> and <c>Calc.Opaque</c>, each a trivially different body, with
    /// the original copies a patch carries for every function it replaces (docs/patch-sites.md).
    /// </summary>
    public static byte[] CalcPatch(string id) => CalcPatch(Calc, id);

    /// <summary>As <see cref="CalcPatch(string)"/>, for one build of the calc library.</summary>
    public static byte[] CalcPatch(TargetPair calc, string id) => Patch(calc, id, """
        [Replaces("M:PgBench.Calc.Leaf(System.Int32)")]
        public static int Leaf(PgBench.Calc self, int x) => x * self.Scale + 2;

        [Replaces("M:PgBench.Calc.NonLeaf(System.Int32)")]
        public static int NonLeaf(PgBench.Calc self, int x) => self.Twice(x) + 2;

        [Replaces("M:PgBench.Calc.Opaque(System.Int32)")]
        public static int Opaque(PgBench.Calc self, int x) => x * self.Scale + 2;

        [Original("M:PgBench.Calc.Leaf(System.Int32)")]
        public static int LeafOriginal(PgBench.Calc self, int x) => x * self.Scale + 1;

        [Original("M:PgBench.Calc.NonLeaf(System.Int32)")]
        public static int NonLeafOriginal(PgBench.Calc self, int x) => self.Twice(x) + 1;

        [Original("M:PgBench.Calc.Opaque(System.Int32)")]
        public static int OpaqueOriginal(PgBench.Calc self, int x) => x * self.Scale + 1;
        """);

    /// <summary>A patch of <c>Calc.Other</c> only: the library has a patched function, the benchmarked ones are not in it.</summary>
    public static byte[] OtherPatch(string id) => Patch(Calc, id, """
        [Replaces("M:PgBench.Calc.Other(System.Int32)")]
        public static int Other(PgBench.Calc self, int x) => x - self.Scale - 1;

        [Original("M:PgBench.Calc.Other(System.Int32)")]
        public static int OtherOriginal(PgBench.Calc self, int x) => x - self.Scale;
        """);

    /// <summary>ShopService's fixes/tax-reduced-rate: <c>TaxCalculator.RateFor</c> (static, called once per priced line).</summary>
    public static byte[] ShopPatch(string id) => Patch(Shop, id, """
        [Replaces("M:ShopService.Pricing.TaxCalculator.RateFor(ShopService.Domain.TaxCategory)")]
        public static decimal RateFor(ShopService.Domain.TaxCategory category) => category switch
        {
            ShopService.Domain.TaxCategory.Standard => 0.20m,
            ShopService.Domain.TaxCategory.Reduced => 0.05m,
            _ => 0m,
        };

        [Original("M:ShopService.Pricing.TaxCalculator.RateFor(ShopService.Domain.TaxCategory)")]
        public static decimal RateForOriginal(ShopService.Domain.TaxCategory category) => category switch
        {
            ShopService.Domain.TaxCategory.Standard => ShopService.Pricing.TaxCalculator.StandardRate,
            ShopService.Domain.TaxCategory.Reduced => ShopService.Pricing.TaxCalculator.StandardRate,
            ShopService.Domain.TaxCategory.Exempt => 0m,
            _ => throw new System.ArgumentOutOfRangeException(nameof(category), category, "no tax rate"),
        };
        """);

    /// <summary>Enables a patch and waits for its transition; throws when it does not complete.</summary>
    public static void EnableAndWait(byte[] patch)
    {
        PatchRuntime.Enable(patch);
        Wait();
    }

    public static void DisableAndWait(string id)
    {
        PatchRuntime.Disable(id);
        Wait();
    }

    public static void Wait()
    {
        var result = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30));
        if (!result.Completed)
            throw new InvalidOperationException("the transition did not complete: " + result.Warning);
    }

    private static byte[] Patch(TargetPair target, string id, string body)
    {
        var source = $$"""
            using PatchGen.Runtime;
            [assembly: Patch("{{id}}", "{{target.Name}}", "{{target.Instrumented.ManifestModule.ModuleVersionId}}")]
            public static class Replacements
            {
            {{body}}
            }
            """;
        return Compile("Patch_" + id.Replace('-', '_'), [source], target.InstrumentedImage);
    }

    private static IEnumerable<string> ShopSources()
    {
        var root = typeof(RuntimeTargets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value
            ?? throw new InvalidOperationException("missing build metadata RepoRoot");
        var directory = Path.Combine(root, "testdata", "apps", "ShopService");
        var sep = Path.DirectorySeparatorChar;
        var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new FileNotFoundException("no ShopService sources", directory);
        // The project's ImplicitUsings.
        yield return "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        foreach (var file in files)
            yield return File.ReadAllText(file);
        yield return ShopDriverSource;
    }

    private static TargetPair Build(string name, IEnumerable<string> sources, bool? inlineSteadyStubs = null, bool tailCallStubs = true)
    {
        var list = sources.ToList();
        Directory.CreateDirectory(WorkDirectory);
        var plainImage = Compile(name + "Plain", list);
        var original = Compile(name, list);
        var input = Path.Combine(WorkDirectory, name + ".original.dll");
        var output = Path.Combine(WorkDirectory, "instrumented", name + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllBytes(input, original);
        // Without inline clones (site format 3): the patches here are written by hand, and a patch for a base
        // with clones must also replace every caller of a cloned method (docs/patch-sites.md, "Inline clones"),
        // which only the emitter works out. What is measured, the site check and the dispatch, is the same in
        // both formats; what clones change (inlined copies without the check) is measured by the Macro harness.
        var result = AssemblyInstrumenter.Instrument(input, output, new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0, InlineSteadyStubs = inlineSteadyStubs ?? new InstrumentOptions().InlineSteadyStubs, TailCallStubs = tailCallStubs });
        var instrumentedImage = File.ReadAllBytes(output);
        var plain = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(plainImage));
        var instrumented = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(instrumentedImage));
        return new TargetPair(name, plain, instrumented, original, instrumentedImage, result);
    }

    /// <summary>Roslyn in memory, Release, against the .NET 10 reference assemblies and PatchGen.Runtime.</summary>
    private static byte[] Compile(string assemblyName, IEnumerable<string> sources, params byte[][] references)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var refs = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(PatchRuntime).Assembly.Location))
            .Concat(references.Select(r => MetadataReference.CreateFromImage(r)));
        var compilation = CSharpCompilation.Create(assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, parse)),
            refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                deterministic: true, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
            throw new InvalidOperationException(assemblyName + " does not compile:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return stream.ToArray();
    }
}

/// <summary>One library, plain and instrumented, both loaded into the default context.</summary>
internal sealed record TargetPair(string Name, Assembly Plain, Assembly Instrumented, byte[] OriginalImage, byte[] InstrumentedImage, InstrumentResult Result)
{
    /// <summary>A delegate of type <typeparamref name="T"/> over <paramref name="method"/> of <paramref name="type"/> in one copy (instance methods on a new instance).</summary>
    public T Method<T>(bool instrumented, string type, string method)
        where T : Delegate
    {
        var t = (instrumented ? Instrumented : Plain).GetType(type, throwOnError: true)!;
        var m = t.GetMethod(method) ?? throw new MissingMethodException(type, method);
        return m.IsStatic ? m.CreateDelegate<T>() : m.CreateDelegate<T>(Activator.CreateInstance(t));
    }

    /// <summary>A new instance of the request handler of one copy, as <c>Handle(string)</c>.</summary>
    public Func<string, string> Handler(bool instrumented)
    {
        var t = (instrumented ? Instrumented : Plain).GetType("ShopService.Server.RequestHandler", throwOnError: true)!;
        var handler = t.GetMethod("CreateDefault")!.Invoke(null, null)!;
        return t.GetMethod("Handle")!.CreateDelegate<Func<string, string>>(handler);
    }
}
