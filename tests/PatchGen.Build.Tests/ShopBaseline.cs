namespace PatchGen.Build.Tests;

/// <summary>
/// The feed, and v1 of the shop built patchable from it with real <c>dotnet build</c>: the build
/// "running in production", copied aside as a patch build's baseline would be. Built once per test
/// class; the tests that need a v2 write their own copy of the project.
/// </summary>
public sealed class ShopBaseline : IDisposable
{
    public ShopBaseline()
    {
        Feed = new PackagedFeed();
        try
        {
            Project = new ShopProject(Path.Combine(Feed.Root, "shop-v1"));
            FirstBuild = Feed.Dotnet(Project.Directory, "build", "-c", "Release", "-nologo", "-tl:off", "-nodeReuse:false");
            Assert.True(FirstBuild.ExitCode == 0, "v1 did not build:\n" + FirstBuild);
            BaselineDirectory = Path.Combine(Feed.Root, "production-v1");
            Directory.CreateDirectory(BaselineDirectory);
            foreach (var file in Directory.GetFiles(Project.OutputDirectory))
                File.Copy(file, Path.Combine(BaselineDirectory, Path.GetFileName(file)));
        }
        catch
        {
            Feed.Dispose();
            throw;
        }
    }

    public PackagedFeed Feed { get; }

    internal ShopProject Project { get; }

    internal DotnetResult FirstBuild { get; }

    /// <summary>v1's output, copied aside: App.dll, its PDB and manifest, the runtime, deps.json.</summary>
    public string BaselineDirectory { get; }

    public string BaselineAssembly => Path.Combine(BaselineDirectory, "App.dll");

    public void Dispose() => Feed.Dispose();
}
