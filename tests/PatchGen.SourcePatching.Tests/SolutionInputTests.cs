using PatchGen.Diagnostics;
using PatchGen.TestSupport;

namespace PatchGen.SourcePatching.Tests;

/// <summary>
/// A solution or several projects given to <see cref="ProjectPatchBuilder"/>, without building: which projects
/// they name, the default source root, and the one-line PG0001 of a solution that cannot be used.
/// </summary>
public class SolutionInputTests
{
    private static string Ledger => Path.Combine(Repository.TestData, "apps", "LedgerApp");

    private static string WebShop => Path.Combine(Repository.TestData, "apps", "WebShop");

    [Theory]
    [InlineData("LedgerApp", "LedgerApp.sln", "Ledger.App/Ledger.App.csproj|Ledger.Calc/Ledger.Calc.csproj|Ledger.Format/Ledger.Format.csproj")] // the classic format
    [InlineData("WebShop", "WebShop.slnx", "WebShop.Domain/WebShop.Domain.csproj|WebShop.Infrastructure/WebShop.Infrastructure.csproj|WebShop.Web/WebShop.Web.csproj")] // .NET 10's default
    public void ASolutionIsEveryProjectItLists(string app, string solution, string projects)
    {
        var folder = Path.Combine(Repository.TestData, "apps", app);
        using var builder = new ProjectPatchBuilder(Path.Combine(folder, solution));

        Assert.Equal(projects.Split('|'), builder.Projects.Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/')));
        Assert.Equal(folder, builder.SourceRoot);
        Assert.Equal(solution, builder.Subject);
    }

    [Fact]
    public void SeveralProjectsShareTheDeepestFolderHoldingThemAll()
    {
        using var builder = new ProjectPatchBuilder(new[] { Path.Combine(WebShop, "WebShop.Domain"), Path.Combine(WebShop, "WebShop.Web", "WebShop.Web.csproj") });

        Assert.Equal(WebShop, builder.SourceRoot);
        Assert.Equal("WebShop.Domain/WebShop.Domain.csproj, WebShop.Web/WebShop.Web.csproj", builder.Subject.Replace('\\', '/'));
        Assert.Equal(Path.Combine(WebShop, "WebShop.Domain", "WebShop.Domain.csproj"), builder.ProjectPath);
    }

    [Fact]
    public void AFolderWithOneSolutionAndNoProjectIsThatSolution()
    {
        using var builder = new ProjectPatchBuilder(Ledger);
        Assert.Equal(Path.Combine(Ledger, "LedgerApp.sln"), Assert.Single(builder.Inputs));
        Assert.Equal(3, builder.Projects.Count);
    }

    [Theory]
    [InlineData("<Solution>\n  <Project Path=\"Missing/Missing.csproj\" />\n</Solution>\n", "the solution lists Missing/Missing.csproj, which does not exist")]
    [InlineData("<Solution>\n</Solution>\n", "the solution lists no C#, F# or Visual Basic project")]
    [InlineData("<Solution>\n  <Project Path=\n", "the solution cannot be read: ")]
    public void ASolutionThatCannotBeUsedIsOnePg0001Line(string text, string message)
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["App.slnx"] = text });

        var error = Assert.Throws<PatchGenException>(() => new ProjectPatchBuilder(tree.PathOf("App.slnx")));

        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.StartsWith(tree.PathOf("App.slnx") + ": " + message, error.Diagnostic.Message.Replace('\\', '/'));
        Assert.DoesNotContain('\n', error.Diagnostic.Message);
    }
}
