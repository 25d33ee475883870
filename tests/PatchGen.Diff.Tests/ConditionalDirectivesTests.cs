namespace PatchGen.Diff.Tests;

/// <summary>
/// <see cref="ConditionalDirectives"/> takes <c>#if</c> as <see cref="SourceLocator"/>'s parse does, with no symbol
/// defined. Roslyn's own parse of the same lines is the oracle: whether the text after them is code (a field there is
/// declared) or disabled text.
/// </summary>
public class ConditionalDirectivesTests
{
    [Theory]
    [InlineData("#if DEBUG")]
    [InlineData("#if !DEBUG")]
    [InlineData("#if true")]
    [InlineData("#if false || X")]
    [InlineData("#if !(A && B) // a comment")]
    [InlineData("#if A == B")]
    [InlineData("#if A != !B")]
    [InlineData("#if !A && (B || !C) == true")]
    [InlineData("#if A\n#elif !B\n#endif\n#if A\n#elif B\n#else")]
    [InlineData("#if A\n#if true\n#else")]
    [InlineData("#if !A\n#if B\n#elif true")]
    [InlineData("#if true\n#else\n#if true\n#endif\n#endif\n#if B\n#else")]
    public void CodeAfterTheDirectivesIsWhatTheParserTakesForCode(string directives)
    {
        var lines = directives.Split('\n');
        var conditions = new ConditionalDirectives();
        foreach (var line in lines)
            Assert.True(conditions.Apply(line.AsSpan(1)), line);

        // Closed as Roslyn needs them closed, then parsed: is the field declared?
        int open = lines.Count(l => l.StartsWith("#if", StringComparison.Ordinal)) - lines.Count(l => l.StartsWith("#endif", StringComparison.Ordinal));
        var source = "class C {\n" + directives + "\nint F;\n" + string.Concat(Enumerable.Repeat("#endif\n", open)) + "}";
        var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot();
        bool declared = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax>().Any();
        Assert.Equal(declared, conditions.Active);
    }

    [Theory]
    [InlineData("#define X")]
    [InlineData("#undef X")]
    [InlineData("#if")]
    [InlineData("#if (A")]
    [InlineData("#endif")]
    public void WhatItDoesNotFollowIsSaid(string directive) => Assert.False(new ConditionalDirectives().Apply(directive.AsSpan(1)));
}
