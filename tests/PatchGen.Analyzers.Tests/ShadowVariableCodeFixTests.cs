using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Testing;
using PatchGen.Analyzers.CodeFixes;
using PatchGen.Baseline;
using PatchGen.Diff;
using PatchGen.TestSupport;

namespace PatchGen.Analyzers.Tests;

/// <summary>
/// The PG2001 code fix: an added instance field becomes a property over a shadow variable, and the
/// fixed source is what the diff engine accepts as a patch (no PG1xxx/PG2xxx error).
/// </summary>
public class ShadowVariableCodeFixTests
{
    private const string V1 = """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total() => _subtotal;
        }
        """;

    private const string V2 = """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            private decimal {|PG2001:_discount|} = 5m;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total() => _subtotal - _discount;
            public void Discount(decimal d) => _discount += d;
        }
        """;

    private static readonly int Id = ShadowVariableCodeFix.ShadowId("F:Shop.Cart._discount");

    private static readonly string Fixed = $$"""
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;

            // PatchGen: a shadow variable, not a field, so that live Cart objects keep their layout (PG2001).
            private decimal _discount { get => PatchGen.Runtime.ShadowVariables.GetOrAdd(this, {{Id}}, _ => new System.Runtime.CompilerServices.StrongBox<decimal>(5m)).Value; set => PatchGen.Runtime.ShadowVariables.GetOrAdd(this, {{Id}}, _ => new System.Runtime.CompilerServices.StrongBox<decimal>(5m)).Value = value; }
            public void Add(decimal price) => _subtotal += price;
            public decimal Total() => _subtotal - _discount;
            public void Discount(decimal d) => _discount += d;
        }
        """;

    [Fact]
    public async Task AnAddedInstanceFieldBecomesAShadowVariable()
    {
        var test = new CSharpCodeFixTest<BaselineAnalyzer, ShadowVariableCodeFix, DefaultVerifier>
        {
            TestCode = V2,
            FixedCode = Fixed,
            ReferenceAssemblies = TestReferences.None,
        };
        var manifest = BaselineEdit.Manifest(V1, "codefix");
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.AdditionalReferences.AddRange(TestReferences.Net100);
            state.AdditionalReferences.Add(TestReferences.Runtime);
            state.AdditionalFiles.Add((BaselineManifest.FileNameFor(BaselineEdit.AssemblyName), manifest));
        }
        await test.RunAsync();
    }

    [Fact]
    public async Task NotOfferedWithoutThePatchGenRuntime()
    {
        var test = new CSharpCodeFixTest<BaselineAnalyzer, ShadowVariableCodeFix, DefaultVerifier>
        {
            TestCode = V2,
            FixedCode = V2,
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Net100);
        test.TestState.AdditionalFiles.Add((BaselineManifest.FileNameFor(BaselineEdit.AssemblyName), BaselineEdit.Manifest(V1, "codefix-noruntime")));
        await test.RunAsync();
    }

    [Fact]
    public async Task NotOfferedForAStaticField()
    {
        const string v2 = """
            namespace Shop;
            public class Cart
            {
                private decimal _subtotal;
                private static int {|PG2001:s_count|};
                public void Add(decimal price) { _subtotal += price; s_count++; }
                public decimal Total() => _subtotal;
            }
            """;
        var test = new CSharpCodeFixTest<BaselineAnalyzer, ShadowVariableCodeFix, DefaultVerifier>
        {
            TestCode = v2,
            FixedCode = v2,
            ReferenceAssemblies = TestReferences.None,
        };
        var manifest = BaselineEdit.Manifest(V1, "codefix-static");
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.AdditionalReferences.AddRange(TestReferences.Net100);
            state.AdditionalReferences.Add(TestReferences.Runtime);
            state.AdditionalFiles.Add((BaselineManifest.FileNameFor(BaselineEdit.AssemblyName), manifest));
        }
        await test.RunAsync();
    }

    [Fact]
    public void TheDiffEngineAcceptsTheFixedSource()
    {
        var dir = InlineAssembly.TempDirectory("codefix-diff");
        var v1 = Emit(Path.Combine(dir, "v1"), V1);
        var v2 = Emit(Path.Combine(dir, "v2"), Fixed);
        var unfixed = Emit(Path.Combine(dir, "v2-unfixed"), V2.Replace("{|PG2001:_discount|}", "_discount"));

        var result = AssemblyDiffer.Compare(v1, v2);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id.StartsWith("PG1", StringComparison.Ordinal) || d.Id.StartsWith("PG2", StringComparison.Ordinal));
        Assert.True(result.IsPatchable, DiffReport.ToText(result));
        // Without the fix, the same edit is the field the diff engine rejects.
        Assert.Contains(AssemblyDiffer.Compare(v1, unfixed).Diagnostics, d => d.Id == "PG2001");
    }

    private static string Emit(string directory, string source)
    {
        Directory.CreateDirectory(directory);
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: Path.Combine(directory, "Cart.cs"), encoding: System.Text.Encoding.UTF8);
        var compilation = CaseCompiler.CreateCompilation("Shop", new[] { tree }).AddReferences(TestReferences.Runtime);
        var dll = Path.Combine(directory, "Shop.dll");
        using var pe = File.Create(dll);
        using var pdb = File.Create(Path.ChangeExtension(dll, ".pdb"));
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return dll;
    }
}
