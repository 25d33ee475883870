using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.TestSupport;

namespace PatchGen.Analyzers.Tests;

/// <summary>
/// File-local type names as Roslyn mangles them (checked against the compiler itself, not a copy of
/// its rule): the checksum of the file's path is what <see cref="FileLocalNames"/> leaves out.
/// </summary>
public class FileLocalNamesTests
{
    [Theory]
    [InlineData("/src/v1/Cart.cs", "<Cart>F__Helper")]
    [InlineData("/elsewhere/Cart.cs", "<Cart>F__Helper")]
    [InlineData("/src/My-Cart.g.cs", "<My_Cart_g>F__Helper")]
    public void TheChecksumOfTheFilePathIsLeftOut(string path, string stable)
    {
        var compilation = CaseCompiler.CreateCompilation("FileLocal", new[]
        {
            CSharpSyntaxTree.ParseText("namespace Cases; file class Helper { public class Inner { } }", new CSharpParseOptions(LanguageVersion.Preview), path),
        });
        var helper = compilation.GetSymbolsWithName("Helper", SymbolFilter.Type).OfType<INamedTypeSymbol>().Single();

        Assert.True(FileLocalNames.IsFileLocal(helper.MetadataName));
        Assert.Equal(stable, FileLocalNames.Stable(helper.MetadataName));
        Assert.Equal("Cases." + stable + "/Inner", FileLocalNames.Stable("Cases." + helper.MetadataName + "/Inner"));
        Assert.Equal("Helper", FileLocalNames.UserName(helper.MetadataName));
    }

    [Theory]
    [InlineData("<>c__DisplayClass0_0")]
    [InlineData("<PrivateImplementationDetails>")]
    [InlineData("<Run>d__3")]
    [InlineData("Cart")]
    public void OtherNamesAreLeftAlone(string name)
    {
        Assert.False(FileLocalNames.IsFileLocal(name));
        Assert.Equal(name, FileLocalNames.Stable(name));
        Assert.Equal(name, FileLocalNames.UserName(name));
    }
}
