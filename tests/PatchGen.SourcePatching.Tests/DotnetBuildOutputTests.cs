namespace PatchGen.SourcePatching.Tests;

/// <summary>Reading what <c>dotnet build</c> prints: the JSON result and the first error.</summary>
public class DotnetBuildOutputTests
{
    [Fact]
    public void TheFirstErrorLineIsFoundAndMadeRelative()
    {
        const string output = """
              Determining projects to restore...
                     /usr/share/dotnet/sdk/10.0.401/Roslyn/bincore/csc /noconfig /errorreport:prompt /warn:10 Bad.cs
            /tmp/w/new-1/Shop/Domain/Cart.cs(12,5): warning CS0168: The variable 'x' is declared but never used [/tmp/w/new-1/Shop/Shop.csproj]
                 1>/tmp/w/new-1/Shop/Domain/Cart.cs(14,9): error CS1002: ; expected [/tmp/w/new-1/Shop/Shop.csproj]
            /tmp/w/new-1/Shop/Domain/Cart.cs(20,1): error CS1513: } expected [/tmp/w/new-1/Shop/Shop.csproj]
            """;
        Assert.Equal("Domain/Cart.cs(14,9): error CS1002: ; expected", DotnetBuild.FirstError(output, "/tmp/w/new-1/Shop"));
    }

    [Theory]
    [InlineData("MSBUILD : error MSB1009: Project file does not exist.", "MSBUILD : error MSB1009: Project file does not exist.")]
    [InlineData("/tmp/w/base/Shop/Shop.csproj : error NU1101: Unable to find package Foo. [/tmp/w/base/Shop/Shop.csproj]", "Shop.csproj : error NU1101: Unable to find package Foo.")]
    [InlineData("/usr/share/dotnet/sdk/10.0.401/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(166,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 11.0. [/tmp/w/base/Shop/Shop.csproj]",
        "/usr/share/dotnet/sdk/10.0.401/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(166,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 11.0.")]
    public void OtherErrorKinds(string line, string expected)
        => Assert.Equal(expected, DotnetBuild.FirstError(line, "/tmp/w/base/Shop"));

    [Fact]
    public void NoErrorLineGivesNull()
        => Assert.Null(DotnetBuild.FirstError("Build succeeded.\n    0 Error(s)\n  csc /errorreport:prompt\n", "/x"));

    [Fact]
    public void TheBuildTargetsItemIsTheOutputAssembly()
    {
        const string stdout = """
            /tmp/x/Bad.cs(1,30): error CS0029: Cannot convert [/tmp/x/a.csproj]
            {
              "Properties": { "TargetPath": "/tmp/x/bin/Release/net10.0/a.dll" },
              "TargetResults": {
                "Build": {
                  "Result": "Success",
                  "Items": [ { "Identity": "/tmp/x/bin/Release/net10.0/a.dll", "FullPath": "/tmp/x/bin/Release/net10.0/a.dll" } ]
                }
              }
            }
            """;
        var (succeeded, items, isTest) = DotnetBuild.ParseResult(stdout.Replace("\r\n", "\n"));
        Assert.True(succeeded);
        Assert.Equal(new[] { "/tmp/x/bin/Release/net10.0/a.dll" }, items);
        Assert.False(isTest);

        var (failed, none, _) = DotnetBuild.ParseResult("{\n  \"TargetResults\": { \"Build\": { \"Result\": \"Failure\", \"Items\": [] } }\n}\n");
        Assert.False(failed);
        Assert.Empty(none);
        Assert.False(DotnetBuild.ParseResult("no json here").Succeeded);
    }

    [Fact]
    public void ATestProjectSaysSoInItsProperties()
    {
        const string stdout = """
            {
              "Properties": { "TargetPath": "/tmp/x/bin/a.Tests.dll", "IsTestProject": "true" },
              "TargetResults": { "Build": { "Result": "Success", "Items": [ { "FullPath": "/tmp/x/bin/a.Tests.dll" } ] } }
            }
            """;
        Assert.True(DotnetBuild.ParseResult(stdout.Replace("\r\n", "\n")).IsTestProject);
        Assert.False(DotnetBuild.ParseResult(stdout.Replace("\r\n", "\n").Replace("\"true\"", "\"\"")).IsTestProject);
    }
}
