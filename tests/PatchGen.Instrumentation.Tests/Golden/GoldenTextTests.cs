using PatchGen.TestSupport.Golden;

namespace PatchGen.Instrumentation.Tests.Golden;

/// <summary>The pieces of the golden machinery whose mistakes would hide in every golden file: the diff shown on failure and string escaping.</summary>
public class GoldenTextTests
{
    [Fact]
    public void TheDiffShowsTheChangedLinesWithContextAndLineNumbers()
    {
        var expected = string.Join("\n", Enumerable.Range(1, 20).Select(i => "line " + i));
        var actual = expected.Replace("line 10\n", "line ten\n").Replace("line 20", "line 20\nline 21");

        Assert.Equal("""
            --- expected.il
            +++ actual
            @@ -7,7 +7,7 @@
             line 7
             line 8
             line 9
            -line 10
            +line ten
             line 11
             line 12
             line 13
            @@ -18,3 +18,4 @@
             line 18
             line 19
             line 20
            +line 21

            """.Replace("\r\n", "\n"), LineDiff.Unified(expected, actual, "expected.il", "actual"));
    }

    [Fact]
    public void TheDiffStopsAfterTheFirstHunks()
    {
        var expected = string.Join("\n", Enumerable.Range(1, 100).Select(i => "line " + i));
        var actual = string.Join("\n", Enumerable.Range(1, 100).Select(i => i % 10 == 0 ? "changed " + i : "line " + i));

        var diff = LineDiff.Unified(expected, actual, "a", "b", maxHunks: 2);

        Assert.Contains("+changed 20", diff);
        Assert.DoesNotContain("+changed 30", diff);
        Assert.EndsWith("... and 8 more differing hunk(s)\n", diff);
    }

    [Fact]
    public void StringsStayOnOneLineAndReadTheSameEverywhere()
    {
        Assert.Equal("\"a\\\"b\\\\c\\nd\\te\\u00e9\\u0001\"", LiteralText.Quote("a\"b\\c\nd\te\u00e9\u0001"));
        Assert.Equal("0.1", LiteralText.Of(0.1));
        Assert.Equal("'\\n'", LiteralText.Of('\n'));
    }
}
