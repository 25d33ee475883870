using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.Instrumentation;
using PatchGen.Runtime;

namespace PatchGen.Benchmarks;

/// <summary>
/// The library the runtime benchmarks call: the same C# compiled twice, once left plain (assembly
/// <c>BenchPlain</c>) and once rewritten by the instrumenter (<c>BenchLib</c>), both loaded in the
/// default context as an application would load them. Loops live inside the library, so the JIT may
/// inline the callee into the loop exactly as it would in the application.
/// </summary>
internal sealed class BenchLibrary
{
    public const string Source = """
        using System.Collections.Generic;
        namespace Bench;

        public abstract class Rule { public abstract decimal Apply(decimal amount, int quantity); }
        public sealed class BulkRule : Rule { public override decimal Apply(decimal amount, int quantity) => quantity >= 10 ? amount * 0.95m : amount; }
        public sealed class RoundRule : Rule { public override decimal Apply(decimal amount, int quantity) => decimal.Round(amount, 2); }
        public sealed class Line { public string Sku = ""; public decimal Price; public int Quantity; }

        public static class Calls
        {
            // A leaf: no calls at all, so its site is only the check, and the JIT can inline it.
            public static int Leaf(int x) => x * 3 + 1;
            // Tracked: it calls something, so it pushes and pops the shadow stack.
            public static int Small(int x) => Leaf(x) + 1;
            // The same two again, for the patched benchmarks (a patch replaces them with the same body).
            public static int PatchedLeaf(int x) => x * 3 + 1;
            public static int PatchedSmall(int x) => Leaf(x) + 1;

            public static int LoopLeaf(int n) { int s = 0; for (int i = 0; i < n; i++) s += Leaf(i); return s; }
            public static int LoopSmall(int n) { int s = 0; for (int i = 0; i < n; i++) s += Small(i); return s; }
            public static int LoopPatchedLeaf(int n) { int s = 0; for (int i = 0; i < n; i++) s += PatchedLeaf(i); return s; }
            public static int LoopPatchedSmall(int n) { int s = 0; for (int i = 0; i < n; i++) s += PatchedSmall(i); return s; }
        }

        // A realistic workload: price an order of a few lines through a list of pricing rules.
        public static class Pricing
        {
            private static readonly List<Rule> Rules = new() { new BulkRule(), new RoundRule() };

            public static decimal LineTotal(Line line)
            {
                decimal amount = line.Price * line.Quantity;
                foreach (var rule in Rules)
                    amount = rule.Apply(amount, line.Quantity);
                return amount;
            }

            public static decimal Tax(decimal amount) => decimal.Round(amount * 0.2m, 2);

            public static decimal Total(List<Line> lines)
            {
                decimal subtotal = 0;
                foreach (var line in lines)
                    subtotal += LineTotal(line);
                return subtotal + Tax(subtotal);
            }

            public static decimal PriceOrders(int n)
            {
                var lines = new List<Line>
                {
                    new Line { Sku = "MUG-001", Price = 12.34m, Quantity = 3 },
                    new Line { Sku = "TEE-002", Price = 19.99m, Quantity = 12 },
                    new Line { Sku = "PEN-003", Price = 1.25m, Quantity = 40 },
                };
                decimal all = 0;
                for (int i = 0; i < n; i++)
                    all += Total(lines);
                return all;
            }
        }
        """;

    private static readonly Lazy<BenchLibrary> Shared = new(() => new BenchLibrary());

    private BenchLibrary()
    {
        var dir = Path.Combine(Path.GetTempPath(), "patchgen-bench", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var plainPath = Path.Combine(dir, "BenchPlain.dll");
        File.WriteAllBytes(plainPath, Compile("BenchPlain", Source));
        var sourcePath = Path.Combine(dir, "BenchLib.src.dll");
        File.WriteAllBytes(sourcePath, Compile("BenchLib", Source));
        InstrumentedPath = Path.Combine(dir, "BenchLib.dll");
        AssemblyInstrumenter.Instrument(sourcePath, InstrumentedPath, new InstrumentOptions { CopyRuntime = false });
        Plain = AssemblyLoadContext.Default.LoadFromAssemblyPath(plainPath);
        Instrumented = AssemblyLoadContext.Default.LoadFromAssemblyPath(InstrumentedPath);
        InstrumentedImage = File.ReadAllBytes(InstrumentedPath);
    }

    public static BenchLibrary Instance => Shared.Value;

    public Assembly Plain { get; }

    public Assembly Instrumented { get; }

    public string InstrumentedPath { get; }

    public byte[] InstrumentedImage { get; }

    public static T Method<T>(Assembly assembly, string type, string name) where T : Delegate
        => assembly.GetType(type, throwOnError: true)!.GetMethod(name)!.CreateDelegate<T>();

    /// <summary>A patch for the instrumented library: <paramref name="body"/> holds static replacement methods.</summary>
    public byte[] Patch(string id, string body)
        => Compile(id.Replace('-', '_'), $$"""
            using PatchGen.Runtime;
            [assembly: Patch("{{id}}", "BenchLib", "{{Instrumented.ManifestModule.ModuleVersionId}}")]
            public static class Replacements
            {
            {{body}}
            }
            """, InstrumentedImage);

    private static byte[] Compile(string name, string source, byte[]? reference = null)
    {
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(PatchRuntime).Assembly.Location));
        if (reference is not null)
            references = references.Append(MetadataReference.CreateFromImage(reference));
        var compilation = CSharpCompilation.Create(name, new[] { CSharpSyntaxTree.ParseText(source) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }
}
