using PatchGen.TestSupport;

namespace PatchGen.SourcePatching.Tests;

/// <summary>
/// One <see cref="ProjectPatchBuilder"/> for the ShopService sample, with its base built once for
/// all tests of a class: real builds take seconds each.
/// </summary>
public sealed class ShopServiceBuilds : IDisposable
{
    public ShopServiceBuilds()
    {
        Builder = new ProjectPatchBuilder(ProjectPath);
        Base = Builder.BuildBase();
    }

    public static string AppDirectory => Path.Combine(Repository.TestData, "apps", "ShopService");

    public static string ProjectPath => Path.Combine(AppDirectory, "ShopService.csproj");

    public static string FixesDirectory => Path.Combine(AppDirectory, "fixes");

    public static string TestPatch(string name) => Path.Combine(AppContext.BaseDirectory, "Patches", name);

    public ProjectPatchBuilder Builder { get; }

    public ProjectBuild Base { get; }

    public void Dispose() => Builder.Dispose();
}
