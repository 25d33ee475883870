using System.Text.Json;

namespace PatchGen.Build.Tests;

/// <summary>
/// <c>&lt;PatchGenPatchDirectory&gt;</c> end to end (docs/patch-directory.md): the packaged targets write it
/// into runtimeconfig.json, and the patchable build, started as it is (no startup hook, no
/// environment), applies the patch found in that folder before its first line runs.
/// </summary>
public class PatchDirectoryPropertyTests : IClassFixture<PackagedFeed>
{
    private readonly PackagedFeed _feed;

    public PatchDirectoryPropertyTests(PackagedFeed feed)
    {
        _feed = feed;
    }

    [Fact]
    public void APatchableBuildWithAPatchDirectoryAppliesItsPatchesBeforeMain()
    {
        var v1 = new ShopProject(Path.Combine(_feed.Root, "folder-v1"), "\n    <PatchGenPatchDirectory>patches</PatchGenPatchDirectory>");
        var built = Build(v1);
        Assert.True(built.ExitCode == 0, built.ToString());
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(v1.OutputDirectory, "App.runtimeconfig.json"))))
            Assert.Equal("patches", config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("PatchGen.PatchDirectory").GetString());

        // Production: v1's output copied aside, with a patch directory beside it.
        var production = Path.Combine(_feed.Root, "folder-production");
        Directory.CreateDirectory(production);
        foreach (var file in Directory.GetFiles(v1.OutputDirectory))
            File.Copy(file, Path.Combine(production, Path.GetFileName(file)));
        var patches = Path.Combine(production, "patches");
        Directory.CreateDirectory(patches);
        Assert.Equal(ShopProject.V1Answer, _feed.Dotnet(production, Path.Combine(production, "App.dll")).Output.Trim());

        var v2 = new ShopProject(Path.Combine(_feed.Root, "folder-v2"));
        v2.FixDiscount();
        var patchBuild = Build(v2, "-p:PatchGenBaseline=" + Path.Combine(production, "App.dll"));
        Assert.True(patchBuild.ExitCode == 0, patchBuild.ToString());
        var installed = _feed.Dotnet(v2.Directory, _feed.InstalledTool, "install", Path.Combine(v2.OutputDirectory, "App.patch.dll"), "--dir", patches, "--name", "10-discount.dll");
        Assert.True(installed.ExitCode == 0, installed.ToString());

        var patched = _feed.Dotnet(production, Path.Combine(production, "App.dll"));
        Assert.True(patched.ExitCode == 0, patched.ToString());
        Assert.Contains(ShopProject.V2Answer, patched.Output);
        Assert.Contains($"patchgen: patch directory {patches}: applied 10-discount.dll: patch 'App.patch' for App", patched.Output);
    }

    private DotnetResult Build(ShopProject project, params string[] extra)
        => _feed.Dotnet(project.Directory, new[] { "build", "-c", "Release", "-nologo", "-tl:off", "-nodeReuse:false" }.Concat(extra).ToArray());
}
