using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen build --project --diff</c> with a fix of the web sample that changes two projects (WebShop.Domain
/// and WebShop.Web): the patch covers the named project and the projects it references, so naming the web app
/// builds one patch of both assemblies, and naming the library is refused with one PG0010 line naming the file
/// of the other project, before anything is built, and nothing is written. Built anyway, it used to give a patch
/// with only the named project's half of the fix.
/// </summary>
public class FixSpanningProjectsTests
{
    private static string App => Path.Combine(Repository.TestData, "apps", "WebShop");

    /// <summary>The coupon fix changes the Domain library and the web app: the library does not build the app.</summary>
    [Theory]
    [InlineData("WebShop.Domain/WebShop.Domain.csproj", "WebShop.Web/Program.cs", "WebShop.Web/WebShop.Web.csproj")]
    public void FixChangingAProjectTheNamedOneDoesNotReferenceIsRefusedBeforeAnyBuild(string project, string otherFile, string otherProject)
    {
        var outDir = InlineAssembly.TempDirectory("project-span");

        var build = CliRunner.Run("build", "--project", Path.Combine(App, project), "--source-root", App,
            "--diff", Path.Combine(App, "fixes", "coupon-codes.patch"), "-o", Path.Combine(outDir, "coupon-codes.dll"));

        Assert.Equal(2, build.ExitCode);
        var line = Assert.Single(build.ErrorLines);
        Assert.StartsWith("patchgen: error PG0010: ", line);
        Assert.Contains($"the fix changes {otherFile}, which belongs to project {otherProject}, but the patch is built for project {project}, which does not reference it", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
        Assert.DoesNotContain("wrote", build.StdOut);
    }

    [Theory]
    [InlineData("WebShop.Domain/WebShop.Domain.csproj", "free-shipping-threshold")] // the library's own fix
    [InlineData("WebShop.Web/WebShop.Web.csproj", "free-shipping-threshold")] // a library the app references
    [InlineData("WebShop.Web/WebShop.Web.csproj", "coupon-codes")] // the app and a library it references
    public void FixOfProjectsTheNamedOneBuildsIsNotRefused(string project, string fix)
    {
        using var builder = new PatchGen.SourcePatching.ProjectPatchBuilder(Path.Combine(App, project), new PatchGen.SourcePatching.ProjectPatchBuilderOptions { SourceRoot = App });
        var fixPath = Path.Combine(App, "fixes", fix + ".patch");

        builder.CheckFixIsCovered(PatchGen.SourcePatching.UnifiedDiff.Load(fixPath), fixPath);
    }
}
