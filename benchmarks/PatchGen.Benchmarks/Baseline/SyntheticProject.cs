using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace PatchGen.Benchmarks.Baseline;

/// <summary>
/// A generated project large enough to see the analyzer's cost: <c>groups</c> source files, each with
/// a class (fields, a const, auto-properties, a static initializer, virtual, async, iterator and
/// lambda methods), an enum and a struct. Written to disk and compiled with a PDB, so the manifest
/// writer finds the sources the way it does for a real build.
/// </summary>
internal sealed class SyntheticProject : IDisposable
{
    public const string AssemblyName = "Synthetic";

    private SyntheticProject(string directory, CSharpCompilation compilation, string assemblyPath)
    {
        Directory = directory;
        Compilation = compilation;
        AssemblyPath = assemblyPath;
    }

    public string Directory { get; }

    /// <summary>The compilation of the project as built (v1).</summary>
    public CSharpCompilation Compilation { get; }

    public string AssemblyPath { get; }

    public int TypeCount => Compilation.Assembly.GlobalNamespace.GetNamespaceMembers().Sum(CountTypes);

    public static SyntheticProject Create(int groups)
    {
        var directory = Path.Combine(Path.GetTempPath(), "patchgen-bench-baseline-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(directory);
        var trees = new List<SyntaxTree>();
        for (int i = 0; i < groups; i++)
        {
            var path = Path.Combine(directory, "Group" + i.ToString(CultureInfo.InvariantCulture) + ".cs");
            var text = Group(i);
            File.WriteAllText(path, text, Encoding.UTF8);
            trees.Add(CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path, Encoding.UTF8));
        }
        var compilation = CSharpCompilation.Create(AssemblyName, trees, Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, deterministic: true,
                nullableContextOptions: NullableContextOptions.Enable));
        var assemblyPath = Path.Combine(directory, AssemblyName + ".dll");
        using (var dll = File.Create(assemblyPath))
        using (var pdb = File.Create(Path.ChangeExtension(assemblyPath, ".pdb")))
        {
            var result = compilation.Emit(dll, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb,
                pdbFilePath: Path.ChangeExtension(assemblyPath, ".pdb")));
            if (!result.Success)
                throw new InvalidOperationException("the synthetic project does not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        }
        return new SyntheticProject(directory, compilation, assemblyPath);
    }

    /// <summary>The same project with one edit the analyzer must report: an instance field added to an existing class (PG2001).</summary>
    public CSharpCompilation WithAddedField()
    {
        var tree = Compilation.SyntaxTrees.First();
        var text = tree.GetText().ToString().Replace("private int _count;", "private int _count; private int _added;", StringComparison.Ordinal);
        return Compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text, Encoding.UTF8)));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A benchmark's temporary folder: left for the OS to clean if something still holds it.
        }
    }

    private static int CountTypes(INamespaceSymbol ns) => ns.GetTypeMembers().Length + ns.GetNamespaceMembers().Sum(CountTypes);

    private static string Group(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        namespace Synthetic.N{{i % 20}};

        public class Service{{i}} : IComparable<Service{{i}}>
        {
            private static readonly int[] s_table = { {{i}}, {{i + 1}}, {{i + 2}} };
            private static readonly Dictionary<string, int> s_names = new() { ["a"] = {{i}}, ["b"] = 2 };
            public const int Limit = {{i % 50 + 3}};
            private int _count;
            private string _name = "service{{i}}";
            private readonly List<int> _history = new();

            public int Count { get; set; }
            public string Name { get; init; } = "";
            public Kind{{i}} Kind { get; private set; } = Kind{{i}}.B;

            public int CompareTo(Service{{i}}? other) => other is null ? 1 : _count.CompareTo(other._count);

            public virtual int Compute(int x)
            {
                var sum = 0;
                for (int k = 0; k < x; k++)
                    sum += s_table[k % 3] * k;
                _history.Add(sum);
                return sum + Limit + s_names["a"];
            }

            public async Task<int> LoadAsync(int x)
            {
                await Task.Yield();
                return Compute(x) + _count;
            }

            public IEnumerable<int> Items()
            {
                for (int k = 0; k < Limit; k++)
                    yield return k * _count;
            }

            public Func<int, int> Adder(int y) => x => x + y + _count;

            public Point{{i}} Where(int x, int y) => new Point{{i}} { X = x, Y = y };

            public override string ToString() => $"{_name}:{_count}:{Kind}";
        }

        public enum Kind{{i}} { A, B, C = {{i % 100 + 5}} }

        public struct Point{{i}}
        {
            public int X;
            public int Y;

            public readonly double Length() => Math.Sqrt(X * X + Y * Y);
        }
        """;
}
