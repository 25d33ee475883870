using PatchGen.TestSupport;

namespace PatchGen.SourcePatching.Tests;

/// <summary>
/// One <see cref="ProjectPatchBuilder"/> for the WebShop sample's solution (<c>WebShop.slnx</c>: the web app and
/// its two libraries), with its base built once for all tests of a class.
/// </summary>
public sealed class WebShopBuilds : IDisposable
{
    public WebShopBuilds()
    {
        Builder = new ProjectPatchBuilder(SolutionPath);
        Base = Builder.BuildBase();
    }

    public static string AppDirectory => Path.Combine(Repository.TestData, "apps", "WebShop");

    public static string SolutionPath => Path.Combine(AppDirectory, "WebShop.slnx");

    public static string FixesDirectory => Path.Combine(AppDirectory, "fixes");

    public ProjectPatchBuilder Builder { get; }

    public ProjectBuild Base { get; }

    public void Dispose() => Builder.Dispose();
}
