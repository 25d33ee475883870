using PatchGen.Corpus.Check;
using PatchGen.TestSupport;

namespace PatchGen.Corpus.Tests;

/// <summary>
/// The listing comparison on real compiled pairs: each case is a v1 and a v2 source and the changes the check must
/// report ("Kind Type::member"), none for what the simple model's rules accept.
/// </summary>
public sealed class ListingComparisonTests
{
    public static TheoryData<string, string, string, string[]> Cases() => new()
    {
        { "body change only", "public class C { public int F; public int M() => 1; }", "public class C { public int F; public int M() => 2; }", [] },
        { "field added", "public class C { public int M() => 1; }", "public class C { private int count; public int M() => count; }", ["FieldAdded C::count"] },
        { "field removed", "public class C { private int count; public int M() => count; }", "public class C { public int M() => 1; }", ["FieldRemoved C::count"] },
        { "field type changed", "public class C { public int F; }", "public class C { public long F; }", ["FieldChanged C::F"] },
        { "field made static", "public class C { public int F; }", "public class C { public static int F; }", ["FieldChanged C::F"] },
        { "auto-property added", "public class C { }", "public class C { public int P { get; set; } }", ["FieldAdded C::<P>k__BackingField"] },
        { "constant added", "public class C { }", "public class C { public const int K = 1; }", [] },
        { "constant value changed", "public class C { public const int K = 1; }", "public class C { public const int K = 2; }", ["ConstantValueChanged C::K"] },
        { "signature changed", "public class C { private int M(int x) => x; }", "public class C { private long M(long x) => x; }", ["SignatureChanged C::M"] },
        { "overload added", "public class C { public int M(int x) => x; }", "public class C { public int M(int x) => x; public long M(long x) => x; }", [] },
        { "method removed, other added", "public class C { public int M(int x) => x; }", "public class C { public int N(int x) => x; }", [] },
        { "made static", "public class C { public int M(int x) => x; }", "public class C { public static int M(int x) => x; }", ["SignatureChanged C::M"] },
        { "static initializer changed", "public class C { static readonly string S = \"a\"; }", "public class C { static readonly string S = \"b\"; }", ["StaticConstructorChanged C"] },
        { "static constructor added", "public class C { static string S; }", "public class C { static string S = System.Environment.MachineName; }", ["StaticConstructorChanged C"] },
        {
            // Tokens move (a type and members added before it); the static constructor's code does not.
            "static constructor unchanged while tokens move",
            "public class C { static readonly string S = M(\"a\"); static string M(string s) => s; }",
            "public class A { public static int Z; public static void Q() { } } public class C { static readonly string S = M(\"a\"); static string M(string s) => s; static int Other() => 1; }",
            []
        },
        {
            // A method added before the static constructor renumbers its lambda (<.cctor>b__1_0 to b__2_0).
            "static constructor's lambda renumbered",
            "public class C { static readonly System.Func<int, int> F = x => x + 1; }",
            "public class C { static int A() => 1; static readonly System.Func<int, int> F = x => x + 1; }",
            []
        },
        {
            "static constructor's lambda changed",
            "public class C { static readonly System.Func<int, int> F = x => x + 1; static readonly System.Func<int, int> G = x => x; }",
            "public class C { static readonly System.Func<int, int> G = x => x; static readonly System.Func<int, int> F = x => x + 1; }",
            ["StaticConstructorChanged C"]
        },
        { "lambda added (compiler-generated types are left out)", "public class C { public int M() => 1; }", "public class C { public int M() { System.Func<int> f = () => 2; return f(); } }", [] },
        { "type added", "public class C { }", "public class C { } public class D { int x; static D() { } }", [] },
        { "file-local type is a user type", "file class F { } public class C { }", "file class F { int x; } public class C { }", ["FieldAdded <Case>F{hash}__F::x"] },
        { "nested type field added", "public class C { public class N { } }", "public class C { public class N { int y; } }", ["FieldAdded C/N::y"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsWhatTheSimpleModelRejects(string name, string v1, string v2, string[] expected)
    {
        // One folder for both builds, as a file-local type's name hashes its source file's path.
        var dir = InlineAssembly.TempDirectory("corpus-check");
        var before = MetadataListing.Read(InlineAssembly.Compile(dir, "Case", v1));
        var after = MetadataListing.Read(InlineAssembly.Compile(dir, "Case", v2));

        var changes = ListingComparison.Compare(before, after).Select(c => $"{c.Kind} {Normalized(c.TypeName)}{(c.Member is null ? "" : "::" + c.Member)}").ToList();

        Assert.True(expected.SequenceEqual(changes), $"{name}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", changes)}]");
    }

    // A file-local type's metadata name carries a hash of its file's path: <Case>F1A2B...__F.
    private static string Normalized(string typeName)
        => System.Text.RegularExpressions.Regex.Replace(typeName, "^<Case>F[0-9A-F]+__", "<Case>F{hash}__");
}
