using Microsoft.CodeAnalysis;
using Mono.Cecil;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// Members are named by documentation comment IDs everywhere. The IDs computed from Cecil metadata
/// must be exactly Roslyn's <c>ISymbol.GetDocumentationCommentId()</c>: checked both ways (every
/// metadata member resolves in Roslyn to a symbol with the same ID, and every source symbol's ID is
/// produced from metadata) on a zoo of tricky signatures and on every test case.
/// </summary>
public class DocumentationIdTests
{
    private const string Zoo = """
        using System;
        using System.Collections;
        using System.Collections.Generic;
        namespace Zoo.Inner
        {
            public unsafe class Outer<T>
            {
                public class Nested<U>
                {
                    public void M<V>(T t, U u, V v, List<T>.Enumerator e, Dictionary<int, Nested<U>> d) { }
                    public Nested<U>? Self;
                }
                public struct Plain { public int X; }
                public void Arrays(int[] a, int[,] b, int[][] c, string[,,] d) { }
                public void Refs(ref int a, out int b, in int c, ref readonly int d) { b = 0; }
                public void Pointers(int* p, void** q, delegate*<int, string> f) { }
                public void Generic<A, B>(A a, B[] b, Func<A, B> f) where A : class, new() where B : struct { }
                public void Tuples((int a, string b) t, ValueTuple<int, int> v) { }
                public void Nullable(int? a, string? b, List<int?> c) { }
                public void Params(params object[] args) { }
                public T this[int i, string s] { get => default!; set { } }
                public event EventHandler<EventArgs>? Changed;
                public static Outer<T> operator +(Outer<T> a, Outer<T> b) => a;
                public static implicit operator int(Outer<T> o) => 0;
                public static explicit operator Outer<T>(long l) => new();
                public Outer() { }
                static Outer() { }
                ~Outer() { }
                public const int Answer = 42;
                public int Auto { get; init; }
            }
            public interface IShape<TArea> { TArea Area(); int Sides { get; } }
            public sealed class Square : IShape<double>, IEnumerable<int>, IEquatable<Square>
            {
                double IShape<double>.Area() => 1;
                int IShape<double>.Sides => 4;
                IEnumerator<int> IEnumerable<int>.GetEnumerator() { yield return 1; }
                IEnumerator IEnumerable.GetEnumerator() => throw null!;
                bool IEquatable<Square>.Equals(Square? other) => true;
            }
            public record Point(int X, int Y) { public Point Move(int dx) => this with { X = X + dx }; }
            public record struct Money(decimal Amount);
            public enum Color : byte { Red = 1, Green = 2 }
            public delegate TResult Transformer<in TIn, out TResult>(TIn input);
            public static class Extensions { public static int Twice(this int x) => x * 2; }
            public class Legacy { public void Varargs(int a, __arglist) { } public void OnlyVarargs(__arglist) { } }
        }
        """;

    [Fact]
    public void ZooOfSignaturesMatchesRoslyn()
    {
        var dir = InlineAssembly.TempDirectory("zoo");
        var dll = InlineAssembly.Compile(dir, "Zoo", Zoo);
        var compilation = CaseCompiler.CreateCompilation("Zoo", new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Zoo, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview)) });
        var checkedIds = AssertParity(dll, compilation);
        Assert.Contains("M:Zoo.Inner.Outer`1.Nested`1.M``1(`0,`1,``0,System.Collections.Generic.List{`0}.Enumerator,System.Collections.Generic.Dictionary{System.Int32,Zoo.Inner.Outer{`0}.Nested{`1}})", checkedIds);
        Assert.Contains("M:Zoo.Inner.Outer`1.op_Implicit(Zoo.Inner.Outer{`0})~System.Int32", checkedIds);
        Assert.Contains("P:Zoo.Inner.Outer`1.Item(System.Int32,System.String)", checkedIds);
    }

    public static TheoryData<string> Cases() => DiffCaseTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void CaseAssembliesMatchRoslyn(string name)
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            var compiled = CaseCompiler.Compile(name, version);
            AssertParity(compiled.AssemblyPath, compiled.Compilation);
        }
    }

    private static HashSet<string> AssertParity(string assemblyPath, Compilation compilation)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var fromMetadata = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.MainModule.GetTypes().Where(GeneratedCode.IsUserType))
        {
            fromMetadata.Add(DocumentationId.ForType(type));
            foreach (var method in type.Methods.Where(m => GeneratedCode.IsUserMethod(m) && m.Name != GeneratedCode.RecordClone))
                fromMetadata.Add(DocumentationId.ForMethod(method));
            foreach (var field in type.Fields.Where(f => !GeneratedCode.IsGeneratedName(f.Name) && !(f.DeclaringType.IsEnum && f.Name == "value__") && !type.Events.Any(e => e.Name == f.Name)))
                fromMetadata.Add(DocumentationId.ForField(field));
            foreach (var property in type.Properties)
                fromMetadata.Add(DocumentationId.ForProperty(property));
            foreach (var evt in type.Events)
                fromMetadata.Add(DocumentationId.ForEvent(evt));
        }

        // Every ID computed from metadata is the ID Roslyn gives some symbol (implicit ones included:
        // default constructors, record members, accessors).
        var roslynIds = AllSymbols(compilation.Assembly.GlobalNamespace).Select(s => s.GetDocumentationCommentId()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var id in fromMetadata)
        {
            Assert.True(roslynIds.Contains(id), $"Roslyn gives no symbol the metadata ID {id}; Roslyn's IDs of that name: "
                + string.Join(", ", roslynIds.Where(r => r.Split('(')[0] == id.Split('(')[0])));
        }

        foreach (var symbol in SourceSymbols(compilation.Assembly.GlobalNamespace))
        {
            var id = symbol.GetDocumentationCommentId();
            if (id != null)
                Assert.True(fromMetadata.Contains(id), $"metadata gives no member with Roslyn's ID {id}");
        }
        return fromMetadata;
    }

    private static IEnumerable<ISymbol> AllSymbols(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                foreach (var s in AllSymbols(nested))
                    yield return s;
            }
            if (member is not INamespaceSymbol)
                yield return member;
        }
    }

    /// <summary>Declared symbols that exist in metadata under their own name (not local functions, not synthesized record members).</summary>
    private static IEnumerable<ISymbol> SourceSymbols(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                foreach (var s in SourceSymbols(ns))
                    yield return s;
                continue;
            }
            if (member.IsImplicitlyDeclared || member.Locations.All(l => !l.IsInSource))
                continue;
            yield return member;
            if (member is INamedTypeSymbol type)
            {
                foreach (var s in SourceSymbols(type))
                    yield return s;
            }
        }
    }
}
