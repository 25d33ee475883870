using System.Diagnostics;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.SourcePatching.Tests;

/// <summary>The builder's behaviour that needs no successful build (or only a short-lived one).</summary>
public class ProjectPatchBuilderTests
{
    [Fact]
    public void AFolderWithOneProjectIsThatProject()
    {
        using var builder = new ProjectPatchBuilder(ShopServiceBuilds.AppDirectory);
        Assert.Equal(ShopServiceBuilds.ProjectPath, builder.ProjectPath);
        Assert.Equal(ShopServiceBuilds.AppDirectory, builder.SourceRoot);
    }

    [Theory]
    [InlineData(new string[0], "the folder has no project file")]
    [InlineData(new[] { "A.sln", "B.slnx" }, "the folder has several solution files (A.sln, B.slnx); name one")]
    [InlineData(new[] { "A.csproj", "B.csproj" }, "the folder has several project files (A.csproj, B.csproj); name one")]
    public void AFolderMustHoldExactlyOneProject(string[] projects, string message)
    {
        using var tree = new TempTree(projects.ToDictionary(p => p, _ => "<Project />"));
        var error = Assert.Throws<PatchGenException>(() => new ProjectPatchBuilder(tree.Root));
        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Equal(tree.Root + ": " + message, error.Diagnostic.Message);
    }

    [Fact]
    public void AMissingProjectOrAProjectOutsideTheSourceRootIsAnError()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["a/A.csproj"] = "<Project />", ["b/x.txt"] = "" });
        Assert.Contains("does not exist", Assert.Throws<PatchGenException>(() => new ProjectPatchBuilder(tree.PathOf("nope/N.csproj"))).Message);
        Assert.Contains("not a project file", Assert.Throws<PatchGenException>(() => new ProjectPatchBuilder(tree.PathOf("b/x.txt"))).Message);
        var outside = Assert.Throws<PatchGenException>(() => new ProjectPatchBuilder(tree.PathOf("a/A.csproj"), new ProjectPatchBuilderOptions { SourceRoot = tree.PathOf("b") }));
        Assert.Contains("is not inside the source root", outside.Message);
    }

    [Fact]
    public void ADiffThatDoesNotApplyFailsBeforeAnythingIsBuilt()
    {
        using var builder = new ProjectPatchBuilder(ShopServiceBuilds.AppDirectory);
        var patch = Path.Combine(builder.WorkDirectory, "stale.patch");
        File.WriteAllText(patch, "--- a/Pricing/DiscountEngine.cs\n+++ b/Pricing/DiscountEngine.cs\n@@ -1,2 +1,2 @@\n-this line is not in the file\n+nor is this one\n context that is not there either\n");

        var error = Assert.Throws<PatchGenException>(() => builder.Build(patch));

        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Contains("DiscountEngine.cs", error.Diagnostic.Message);
        Assert.False(Directory.Exists(Path.Combine(builder.WorkDirectory, "base")), "the base was built for a diff that cannot apply");
        Assert.DoesNotContain(Directory.GetDirectories(builder.WorkDirectory), d => Path.GetFileName(d).StartsWith("check-", StringComparison.Ordinal));
    }

    [Fact]
    public void DisposeDeletesTheWorkFolderUnlessAskedToKeepIt()
    {
        using var root = new TempTree();
        var builder = new ProjectPatchBuilder(ShopServiceBuilds.ProjectPath, new ProjectPatchBuilderOptions { WorkRoot = root.Root });
        Assert.True(Directory.Exists(builder.WorkDirectory));
        Assert.StartsWith(root.Root, builder.WorkDirectory, StringComparison.Ordinal);
        builder.Dispose();
        Assert.False(Directory.Exists(builder.WorkDirectory));
        Assert.Throws<ObjectDisposedException>(() => builder.BuildBase());

        var kept = new ProjectPatchBuilder(ShopServiceBuilds.ProjectPath, new ProjectPatchBuilderOptions { WorkRoot = root.Root, KeepWorkDirectory = true });
        kept.Dispose();
        Assert.True(Directory.Exists(kept.WorkDirectory));
    }

    [Fact]
    public void EnvironmentFilesAboveTheSourceRootComeAlongAndHiddenBuildLogicIsNoted()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["global.json"] = "{}",
            ["NuGet.Config"] = "<configuration />",
            ["Directory.Build.props"] = "<Project />",
            ["Directory.Packages.props"] = "<Project />",
            ["app/Directory.Packages.props"] = "<Project />",
            ["app/App.csproj"] = "<Project />",
        });
        using var builder = new ProjectPatchBuilder(tree.PathOf("app"));

        Assert.True(File.Exists(Path.Combine(builder.WorkDirectory, "global.json")));
        Assert.True(File.Exists(Path.Combine(builder.WorkDirectory, "nuget.config")));
        var note = Assert.Single(builder.Notes, n => n.Contains("not copied", StringComparison.Ordinal));
        Assert.Contains(tree.PathOf("Directory.Build.props"), note);
    }

    [Fact]
    public void TheSampleServiceHasNoNotesAndIgnoresTheRepositorysBuildSettings()
    {
        using var builder = new ProjectPatchBuilder(ShopServiceBuilds.ProjectPath);
        Assert.DoesNotContain(builder.Notes, n => n.Contains("not copied", StringComparison.Ordinal));

        // Built in place, the repository's Directory.*.props must not reach the sample either.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ShopServiceBuilds.AppDirectory };
        foreach (var argument in new[] { "msbuild", ShopServiceBuilds.ProjectPath, "-nologo", "-getProperty:ManagePackageVersionsCentrally", "-getProperty:TreatWarningsAsErrors", "-getProperty:RepoRoot", "-getProperty:TargetFramework" })
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        using var msbuild = Process.Start(start)!;
        string output = msbuild.StandardOutput.ReadToEnd();
        msbuild.WaitForExit();
        Assert.Equal(0, msbuild.ExitCode);
        Assert.Contains("\"ManagePackageVersionsCentrally\": \"false\"", output);
        Assert.Contains("\"TreatWarningsAsErrors\": \"false\"", output);
        Assert.Contains("\"RepoRoot\": \"\"", output);
        Assert.Contains("\"TargetFramework\": \"net10.0\"", output);
    }

    [Fact]
    public void ACancelledBuildStopsAndLeavesNoCopy()
    {
        using var builder = new ProjectPatchBuilder(ShopServiceBuilds.ProjectPath);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => builder.BuildBase(cancellation.Token));
        Assert.False(Directory.Exists(Path.Combine(builder.WorkDirectory, "base")));
    }

    [Fact]
    public void ABuildThatTakesTooLongIsStoppedAndReported()
    {
        using var builder = new ProjectPatchBuilder(ShopServiceBuilds.ProjectPath, new ProjectPatchBuilderOptions { BuildTimeout = TimeSpan.FromMilliseconds(100) });
        var error = Assert.Throws<PatchGenException>(() => builder.BuildBase());
        Assert.Contains("the build of the base copy did not finish within 00:00:00.1000000 and was stopped", error.Message);
        Assert.False(Directory.Exists(Path.Combine(builder.WorkDirectory, "base")));
        Assert.True(File.Exists(Path.Combine(builder.LogDirectory, "base.log")));
    }

    [Fact]
    public void AMissingDotnetIsReported()
    {
        using var builder = new ProjectPatchBuilder(ShopServiceBuilds.ProjectPath, new ProjectPatchBuilderOptions { DotnetPath = "/no/such/dotnet" });
        var error = Assert.Throws<PatchGenException>(() => builder.BuildBase());
        Assert.Contains("cannot run '/no/such/dotnet' to build the base copy", error.Message);
    }

    [Fact]
    public void BinObjAndGitFoldersAreNotCopied()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["from/A.cs"] = "a",
            ["from/src/B.cs"] = "b",
            ["from/bin/Release/old.dll"] = "x",
            ["from/obj/project.assets.json"] = "x",
            ["from/src/obj/x"] = "x",
            ["from/.git/HEAD"] = "x",
        });

        SourceTreeCopier.Copy(tree.PathOf("from"), tree.PathOf("to"));

        var copied = Directory.EnumerateFileSystemEntries(tree.PathOf("to"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tree.PathOf("to"), f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "A.cs", "src", "src/B.cs" }, copied);
    }
}
