using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// <see cref="MemberBodyBlanker"/> blanks member bodies before <see cref="SourceLocator"/> parses a source. The parse
/// of the text as it is is the oracle: the declarations the locator reads (every member, accessor and expression body
/// it walks to, by kind and full span, and their names' positions) must be the same, and the lines too.
/// </summary>
public class MemberBodyBlankerTests
{
    public static TheoryData<string, bool> Sources() => new()
    {
        // Method, constructor, operator and accessor bodies; one-line expression bodies.
        { "class C { int _f; C(int a) : this() { _f = a; } public int P { get { return _f; } set { _f = value; } } int Q => _f + 1; static C operator +(C a, C b) { return a; } void M() { if (_f > 0) { M(); } } }", true },
        // A primary constructor, a base call with a brace in its arguments, a constraint: type bodies stay.
        { "class B(int[] a) { } class C(int x) : B(new[] { 1 }) { int F; void M() { F = x; } } struct S<T>() where T : struct { int G; }", true },
        { "record R(int X) { public int Y { get; init; } } interface I { void M() { } } enum E { A, B }", true },
        // Literals and comments with braces in them.
        { "class C { string S() { return \"}\" + '}' + @\"}\"\"{\" + $\"{(1 > 0 ? \"}\" : \"{\")}{{\" + $@\"{{{S():x}}}\"; } /* } */ // }\n int F; }", true },
        { "class C { string R() { return \"\"\"\n } {\n \"\"\"; } int F; }", true },
        // Conditional directives as the parse takes them (no symbol defined): disabled text need not balance.
        { "class C {\n#if DEBUG\n void M() {\n#else\n void M(int a) {\n#endif\n }\n#if !DEBUG && (X || true)\n int F;\n#endif\n void N() {\n#region r\n N();\n#endregion\n } void O() { O(); } }", true },
        // A multi-line expression body, lambdas in initializers, a switch expression, an indexer.
        { "class C { int P =>\n 1; System.Func<int, int> f = x => { return x; }; int G(int x) => x switch { 1 => 2, _ => new[] { 3 }[0] }; int this[int i] { get => i; } }", true },
        // Names that are keywords elsewhere.
        { "class C { int get { get { return 1; } } void @class() { } int init { set { } } event System.Action E { add { } remove { } } }", true },
        // Nothing this scan does not follow is blanked: a raw interpolated string, a symbol defined in the file.
        { "class C { string S() { return $$\"\"\"{{1}}\"\"\"; } }", false },
        { "#define X\nclass C { void M() { } }", false },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void DeclarationsAreThoseOfTheTextAsItIs(string source, bool blanks)
    {
        var blanked = MemberBodyBlanker.Blank(source);
        Assert.Equal(blanks, !ReferenceEquals(blanked, source));
        AssertSameDeclarations(source, blanked);
    }

    /// <summary>The sources embedded in Roslyn's PDBs: ~8 million characters of generated C#, mostly bodies.</summary>
    [Fact]
    public void DeclarationsOfRoslynsGeneratedSourcesAreThoseOfTheTextAsItIs()
    {
        long blankedCharacters = 0;
        foreach (var version in new[] { "4.14.0", "5.0.0" })
        {
            using var input = AssemblyInput.Load(Path.Combine(Repository.NuGetPackageRoot, "microsoft.codeanalysis.csharp", version, "lib", "net8.0", "Microsoft.CodeAnalysis.CSharp.dll"));
            foreach (var text in input.SymbolDocuments.Select(d => d.EmbeddedText).OfType<string>())
            {
                var blanked = MemberBodyBlanker.Blank(text);
                AssertSameDeclarations(text, blanked);
                blankedCharacters += text.Zip(blanked).Count(pair => pair.First != pair.Second);
            }
        }
        Assert.True(blankedCharacters > 2_000_000, blankedCharacters + " characters blanked");
    }

    private static readonly CSharpParseOptions Options = CSharpParseOptions.Default.WithDocumentationMode(DocumentationMode.None);

    private static void AssertSameDeclarations(string source, string blanked)
    {
        Assert.Equal(source.Length, blanked.Length);
        var (original, parsed) = (Declarations(source), Declarations(blanked));
        Assert.Equal(original, parsed);
        Assert.Equal(SourceTextLines(source), SourceTextLines(blanked));
    }

    private static List<string> Declarations(string text)
        => CSharpSyntaxTree.ParseText(text, Options).GetRoot()
            .DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or BasePropertyDeclarationSyntax
                or AccessorListSyntax or BaseFieldDeclarationSyntax or VariableDeclarationSyntax or ParameterListSyntax)
            .Select(n => $"{n.Kind()} {n.FullSpan} {string.Join(",", n.ChildTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) || t.IsKind(SyntaxKind.ThisKeyword)).Select(t => t.SpanStart))}")
            .ToList();

    private static List<int> SourceTextLines(string text) => Microsoft.CodeAnalysis.Text.SourceText.From(text).Lines.Select(l => l.Start).ToList();
}
