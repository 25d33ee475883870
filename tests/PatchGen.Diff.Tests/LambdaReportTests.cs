using System.Text.Json;
using PatchGen.Diff.Lambdas;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// How lambdas replaced in place are named (the compiler's lambda ordinal, which orders them) and
/// reported: in the text report under their owner, and in the JSON's <c>lambdas</c> array, which is
/// left out when there are none (other reports keep their bytes).
/// </summary>
public class LambdaReportTests
{
    [Theory]
    [InlineData("<Search>b__0", 0)]
    [InlineData("<Search>b__3_1", 1)]
    [InlineData("<Split>g__Keep|0_2", 2)]
    [InlineData("<<Main>$>g__Shout|0_1", 1)]
    [InlineData("<<Main>$>b__0_12", 12)]
    [InlineData("<Run>b__4_0#1", 0)]
    public void OrdinalIsTheLastNumberOfTheName(string name, int ordinal) => Assert.Equal(ordinal, LambdaFacts.OrdinalOf(name));

    [Theory]
    [InlineData("<Search>d__3")]
    [InlineData("<Split>g__Keep")]
    [InlineData("Run")]
    public void NamesWithoutAnOrdinalHaveNone(string name) => Assert.Null(LambdaFacts.OrdinalOf(name));

    [Fact]
    public void JsonAndTextNameEachLambdaUnderItsOwner()
    {
        const string name = "RouteHandlersMadeBeforeThePatchRunTheNewBody";
        var result = AssemblyDiffer.Compare(CaseCompiler.Compile(name, "v1").AssemblyPath, CaseCompiler.Compile(name, "v2").AssemblyPath);

        using var json = JsonDocument.Parse(DiffReport.ToJson(result));
        var lambdas = json.RootElement.GetProperty("lambdas").EnumerateArray().ToList();
        Assert.Equal(7, lambdas.Count);
        Assert.All(lambdas, l => Assert.Equal("M:Cases.Shop.Configure(System.String)", l.GetProperty("owner").GetString()));
        Assert.All(lambdas, l => Assert.False(l.GetProperty("ownerReplaced").GetBoolean()));
        Assert.Equal(
            ["lambda at line 29", "lambda at line 30", "lambda at line 31", "async lambda at line 34", "async lambda at line 39", "lambda at line 42", "local function Reverse at line 45"],
            lambdas.Select(l => l.GetProperty("lambda").GetString()!).ToArray());
        Assert.All(lambdas, l => Assert.EndsWith("Shop.cs", l.GetProperty("file").GetString(), StringComparison.Ordinal));

        var text = DiffReport.ToText(result);
        Assert.Contains("Lambdas replaced in place (delegates created before the patch run the new body):\n"
            + "  M:Cases.Shop.Configure(System.String): lambda at line 29 (owner kept)\n", text, StringComparison.Ordinal);
        Assert.Contains("  M:Cases.Shop.Configure(System.String): local function Reverse at line 45 (owner kept)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonHasNoLambdasArrayWhenNoneIsReplacedInPlace()
    {
        const string name = "LambdaCaptureAddedIsNotReplacedInPlace";
        var result = AssemblyDiffer.Compare(CaseCompiler.Compile(name, "v1").AssemblyPath, CaseCompiler.Compile(name, "v2").AssemblyPath);
        Assert.Empty(result.Lambdas);
        using var json = JsonDocument.Parse(DiffReport.ToJson(result));
        Assert.False(json.RootElement.TryGetProperty("lambdas", out _));
        Assert.DoesNotContain("replaced in place", DiffReport.ToText(result), StringComparison.Ordinal);
    }
}
