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

    /// <summary>With several projects, or a solution, the patch covers all of them and what they reference: a file of none of them is still PG0010, naming them.</summary>
    [Theory]
    [InlineData("WebShop.Domain/WebShop.Domain.csproj;WebShop.Infrastructure/WebShop.Infrastructure.csproj", "projects WebShop.Domain/WebShop.Domain.csproj, WebShop.Infrastructure/WebShop.Infrastructure.csproj, none of which references it")]
    public void FixChangingAProjectNoneOfTheNamedOnesReferencesIsRefused(string projects, string builtFor)
    {
        var outDir = InlineAssembly.TempDirectory("project-span");
        var arguments = new List<string> { "build" };
        foreach (var project in projects.Split(';'))
            arguments.AddRange(new[] { "--project", Path.Combine(App, project) });
        arguments.AddRange(new[] { "--diff", Path.Combine(App, "fixes", "coupon-codes.patch"), "-o", Path.Combine(outDir, "coupon-codes.dll") });

        var build = CliRunner.Run(arguments.ToArray());

        Assert.Equal(2, build.ExitCode);
        var line = Assert.Single(build.ErrorLines);
        Assert.Contains($"the fix changes WebShop.Web/Program.cs, which belongs to project WebShop.Web/WebShop.Web.csproj, but the patch is built for {builtFor}; nothing was built", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
    }

    [Fact]
    public void ASolutionThatDoesNotListTheChangedProjectIsRefused()
    {
        // A copy of the sample whose solution lists the libraries only.
        var copy = InlineAssembly.TempDirectory("sln-span");
        CopyTree(App, copy);
        File.WriteAllText(Path.Combine(copy, "WebShop.slnx"), """
            <Solution>
              <Project Path="WebShop.Domain/WebShop.Domain.csproj" />
              <Project Path="WebShop.Infrastructure/WebShop.Infrastructure.csproj" />
            </Solution>
            """);

        var build = CliRunner.Run("build", "--project", Path.Combine(copy, "WebShop.slnx"), "--diff", Path.Combine(App, "fixes", "coupon-codes.patch"), "-o", Path.Combine(copy, "fix.dll"));

        Assert.Equal(2, build.ExitCode);
        Assert.Contains("but the patch is built for solution WebShop.slnx, none of whose projects references it; nothing was built", Assert.Single(build.ErrorLines));
    }

    [Theory]
    [InlineData("WebShop.slnx", "coupon-codes")] // the solution: every project
    [InlineData("WebShop.Domain/WebShop.Domain.csproj;WebShop.Web/WebShop.Web.csproj", "coupon-codes")] // both projects named
    [InlineData("WebShop.Domain/WebShop.Domain.csproj", "free-shipping-threshold")] // the library's own fix
    [InlineData("WebShop.Web/WebShop.Web.csproj", "free-shipping-threshold")] // a library the app references
    [InlineData("WebShop.Web/WebShop.Web.csproj", "coupon-codes")] // the app and a library it references
    public void FixOfProjectsTheNamedOneBuildsIsNotRefused(string project, string fix)
    {
        using var builder = new PatchGen.SourcePatching.ProjectPatchBuilder(project.Split(';').Select(p => Path.Combine(App, p)).ToList(), new PatchGen.SourcePatching.ProjectPatchBuilderOptions { SourceRoot = App });
        var fixPath = Path.Combine(App, "fixes", fix + ".patch");

        builder.CheckFixIsCovered(PatchGen.SourcePatching.UnifiedDiff.Load(fixPath), fixPath);
    }

    internal static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative), overwrite: true);
        }
    }
}
