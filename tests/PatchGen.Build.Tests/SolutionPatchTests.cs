using System.Text.Json;
using PatchGen.SourcePatching;
using PatchGen.TestSupport;

namespace PatchGen.Build.Tests;

/// <summary>
/// Patch mode of a solution (docs/msbuild.md, "A solution"): the web sample (testdata/apps/WebShop: a web app
/// over two libraries, <c>WebShop.slnx</c>) with every project patchable through the packaged PatchGen.Build,
/// built as v1 with <c>dotnet build WebShop.slnx</c>; the web app's output copied aside as production; the
/// fix that spans two projects (fixes/coupon-codes.patch) applied to a second copy, built with
/// <c>dotnet build WebShop.slnx -p:PatchGenBaseline=&lt;production folder&gt;/</c>. The result is ONE patch, in
/// the web app's output, bound to production's WebShop.Web and WebShop.Domain (the unchanged
/// WebShop.Infrastructure is not a base), and no library writes a patch of its own.
/// </summary>
public class SolutionPatchTests : IClassFixture<PackagedFeed>
{
    private readonly PackagedFeed _feed;

    public SolutionPatchTests(PackagedFeed feed)
    {
        _feed = feed;
    }

    private static string Sample => Path.Combine(Repository.TestData, "apps", "WebShop");

    [Fact]
    public void ASolutionInPatchModeWritesOnePatchOfEveryChangedAssembly()
    {
        var v1 = CopySample("web-v1");
        var built = Build(v1, "WebShop.slnx");
        Assert.True(built.ExitCode == 0, built.ToString());
        var production = Path.Combine(_feed.Root, "web-production");
        Directory.CreateDirectory(production);
        foreach (var file in Directory.GetFiles(Output(v1, "WebShop.Web")))
            File.Copy(file, Path.Combine(production, Path.GetFileName(file)));
        Assert.All(new[] { "WebShop.Web", "WebShop.Domain", "WebShop.Infrastructure" }, name => Assert.True(AssemblyFacts.IsPatchable(Path.Combine(production, name + ".dll")), name));

        var v2 = CopySample("web-v2");
        UnifiedDiff.Load(Path.Combine(Sample, "fixes", "coupon-codes.patch")).ApplyTo(v2);
        var patchBuild = Build(v2, "WebShop.slnx", "-p:PatchGenBaseline=" + production + Path.DirectorySeparatorChar);
        Assert.True(patchBuild.ExitCode == 0, patchBuild.ToString());

        var patch = Path.Combine(Output(v2, "WebShop.Web"), "WebShop.Web.patch.dll");
        Assert.True(File.Exists(patch), patchBuild.ToString());
        Assert.Equal(new[] { patch }, Directory.GetFiles(v2, "*.patch.dll", SearchOption.AllDirectories));
        Assert.True(patchBuild.Output.Contains("patch 'WebShop.Web.patch' for 2 assemblies", StringComparison.Ordinal), patchBuild.ToString());

        var inspect = _feed.Dotnet(v2, _feed.InstalledTool, "inspect", patch, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var json = JsonDocument.Parse(inspect.Output);
        var bases = json.RootElement.GetProperty("bases").EnumerateArray()
            .Select(b => (Name: b.GetProperty("name").GetString()!, Mvid: b.GetProperty("mvid").GetString()!))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(new[] { "WebShop.Domain", "WebShop.Web" }, bases.Select(b => b.Name));
        Assert.All(bases, b => Assert.Equal(AssemblyFacts.Mvid(Path.Combine(production, b.Name + ".dll")).ToString("D"), b.Mvid));
        var replaced = json.RootElement.GetProperty("replaces").EnumerateArray().Select(r => r.GetProperty("member").GetString()).ToList();
        Assert.Contains("M:WebShop.Domain.Pricing.CouponBook.Find(System.String)", replaced);

        // Built again with nothing changed: the patch is up to date, no tool runs, and it is still there.
        var again = Build(v2, "WebShop.slnx", "-p:PatchGenBaseline=" + production + Path.DirectorySeparatorChar);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("patchgen: wrote", again.Output);
        Assert.True(File.Exists(patch));
    }

    [Fact]
    public void AProjectWhoseAssemblyTheBaselineFolderLacksIsNotPartOfThePatch()
    {
        // Production without WebShop.Infrastructure (a project added in v2, say): that project is left out,
        // and the fix of the two others is still one patch.
        var v1 = CopySample("lack-v1");
        var built = Build(v1, "WebShop.slnx");
        Assert.True(built.ExitCode == 0, built.ToString());
        var production = Path.Combine(_feed.Root, "lack-production");
        Directory.CreateDirectory(production);
        foreach (var file in Directory.GetFiles(Output(v1, "WebShop.Web")).Where(f => !Path.GetFileName(f).StartsWith("WebShop.Infrastructure.", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(production, Path.GetFileName(file)));

        var v2 = CopySample("lack-v2");
        UnifiedDiff.Load(Path.Combine(Sample, "fixes", "coupon-codes.patch")).ApplyTo(v2);
        var patchBuild = Build(v2, "WebShop.slnx", "-p:PatchGenBaseline=" + production + Path.DirectorySeparatorChar);
        Assert.True(patchBuild.ExitCode == 0, patchBuild.ToString());
        Assert.Contains($"patchgen: {production}{Path.DirectorySeparatorChar} has no WebShop.Infrastructure.dll: WebShop.Infrastructure is not part of the patch", patchBuild.Output);
        Assert.True(patchBuild.Output.Contains("patch 'WebShop.Web.patch' for 2 assemblies", StringComparison.Ordinal), patchBuild.ToString());
    }

    /// <summary>A copy of the sample whose three projects reference the packaged PatchGen.Build and are patchable.</summary>
    private string CopySample(string name)
    {
        var target = Path.Combine(_feed.Root, name);
        foreach (var file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Sample, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        var props = Path.Combine(target, "Directory.Build.props");
        File.WriteAllText(props, File.ReadAllText(props).Replace("</Project>", """
              <PropertyGroup>
                <PatchGenPatchable>true</PatchGenPatchable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PatchGen.Build" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        return target;
    }

    private static string Output(string copy, string project) => Path.Combine(copy, project, "bin", "Release", "net10.0");

    private DotnetResult Build(string directory, params string[] arguments)
        => _feed.Dotnet(directory, new[] { "build" }.Concat(arguments).Concat(new[] { "-c", "Release", "-nologo", "-tl:off", "-nodeReuse:false" }).ToArray());
}
