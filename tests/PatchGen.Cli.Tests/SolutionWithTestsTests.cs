using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen build --project App.slnx</c> on a solution with a test project, as real solutions have: a copy of
/// the web sample plus WebShop.Tests (a real xunit project referencing WebShop.Domain), and a fix that changes the
/// domain and adds a test, as a fix usually does. The patch binds WebShop.Domain only: the test project's
/// assembly changed too, but the application never loads it, and a patch bound to it would be refused whole by
/// every process (PG0005); the output says it was left out.
/// </summary>
[Collection(RealDotnetBuilds.Name)]
public class SolutionWithTestsTests
{
    private const string TestFile = """
        using WebShop.Domain.Pricing;
        using Xunit;

        namespace WebShop.Tests;

        public class CouponTests
        {
            [Fact]
            public void KnownCodeIsFound() => Assert.NotNull(CouponBook.CreateDefault().Find("SAVE10"));
        }

        """;

    private const string TestFix = """
        --- a/WebShop.Tests/CouponTests.cs
        +++ b/WebShop.Tests/CouponTests.cs
        @@ -8,3 +8,6 @@
             [Fact]
             public void KnownCodeIsFound() => Assert.NotNull(CouponBook.CreateDefault().Find("SAVE10"));
        +
        +    [Fact]
        +    public void CodeInLowerCaseIsFound() => Assert.NotNull(CouponBook.CreateDefault().Find("save10"));
         }

        """;

    [Fact]
    public void ATestProjectsChangedAssemblyIsNotABase()
    {
        var sample = Path.Combine(Repository.TestData, "apps", "WebShop");
        var copy = InlineAssembly.TempDirectory("sln-tests");
        FixSpanningProjectsTests.CopyTree(sample, copy);
        Directory.CreateDirectory(Path.Combine(copy, "WebShop.Tests"));
        File.WriteAllText(Path.Combine(copy, "WebShop.Tests", "WebShop.Tests.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                <ProjectReference Include="../WebShop.Domain/WebShop.Domain.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(copy, "WebShop.Tests", "CouponTests.cs"), TestFile.ReplaceLineEndings("\n"));
        File.WriteAllText(Path.Combine(copy, "WebShop.slnx"), File.ReadAllText(Path.Combine(sample, "WebShop.slnx"))
            .Replace("</Solution>", "  <Project Path=\"WebShop.Tests/WebShop.Tests.csproj\" />\n</Solution>", StringComparison.Ordinal));
        // The domain half of the coupon fix, and a test of it.
        var couponFix = File.ReadAllText(Path.Combine(sample, "fixes", "coupon-codes.patch")).ReplaceLineEndings("\n");
        var domainHalf = couponFix[..couponFix.IndexOf("--- a/WebShop.Web/", StringComparison.Ordinal)];
        var fix = Path.Combine(copy, "fix.patch");
        File.WriteAllText(fix, domainHalf + TestFix.ReplaceLineEndings("\n"));
        var output = Path.Combine(copy, "fix.dll");

        var build = CliRunner.Run("build", "--project", Path.Combine(copy, "WebShop.slnx"), "--diff", fix, "-o", output);

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Contains("patchgen: WebShop.Tests.dll changed, but only test projects load it: not part of the patch\n", build.StdOut);
        Assert.Contains($"patchgen: wrote {output}: patch 'fix' for WebShop.Domain (base MVID ", build.StdOut);
        Assert.Contains("  M:WebShop.Domain.Pricing.CouponBook.Find(System.String) (site ", build.StdOut);
    }
}
