using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen build --project --diff</c> with a fix of the web sample that changes two projects (WebShop.Domain
/// and WebShop.Web): a patch covers one assembly, so whichever project is named, the build is refused with
/// one PG0010 line naming the file of the other project, before anything is built, and nothing is written.
/// Built anyway, it used to give a patch with only the named project's half of the fix.
/// </summary>
public class FixSpanningProjectsTests
{
    private static string App => Path.Combine(Repository.TestData, "apps", "WebShop");

    [Theory]
    [InlineData("WebShop.Web/WebShop.Web.csproj", "WebShop.Domain/Pricing/CouponBook.cs", "WebShop.Domain/WebShop.Domain.csproj")]
    [InlineData("WebShop.Domain/WebShop.Domain.csproj", "WebShop.Web/Program.cs", "WebShop.Web/WebShop.Web.csproj")]
    public void FixChangingTwoProjectsIsRefusedBeforeAnyBuild(string project, string otherFile, string otherProject)
    {
        var outDir = InlineAssembly.TempDirectory("project-span");

        var build = CliRunner.Run("build", "--project", Path.Combine(App, project), "--source-root", App,
            "--diff", Path.Combine(App, "fixes", "coupon-codes.patch"), "-o", Path.Combine(outDir, "coupon-codes.dll"));

        Assert.Equal(2, build.ExitCode);
        var line = Assert.Single(build.ErrorLines);
        Assert.StartsWith("patchgen: error PG0010: ", line);
        Assert.Contains($"the fix changes {otherFile}, which belongs to project {otherProject}, but the patch is built for project {project}", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
        Assert.DoesNotContain("wrote", build.StdOut);
    }

    [Fact]
    public void FixOfTheNamedProjectOnlyIsNotRefused()
    {
        // The domain-only fix, against the domain project: the check lets it through to the build.
        using var builder = new PatchGen.SourcePatching.ProjectPatchBuilder(Path.Combine(App, "WebShop.Domain", "WebShop.Domain.csproj"), new PatchGen.SourcePatching.ProjectPatchBuilderOptions { SourceRoot = App });
        var diff = PatchGen.SourcePatching.UnifiedDiff.Load(Path.Combine(App, "fixes", "free-shipping-threshold.patch"));

        Assert.Equal(new[] { builder.ProjectPath }, builder.ProjectsChangedBy(diff));
    }
}
