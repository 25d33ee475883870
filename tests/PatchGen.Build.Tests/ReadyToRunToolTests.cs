using System.IO.Compression;

namespace PatchGen.Build.Tests;

/// <summary>
/// The patchgen tool in the PatchGen.Build package is precompiled (issue 15.6, docs/msbuild.md): its own
/// assemblies and its dependencies carry ReadyToRun code for the platform that packed it, beside their IL;
/// the two assemblies <c>patchgen instrument</c> copies into apps are the library packages' bytes; and the
/// tool runs, with its precompiled code and without it (as on another platform, where the runtime ignores it).
/// </summary>
public sealed class ReadyToRunToolTests : IClassFixture<PackagedFeed>
{
    private const string ToolFolder = "tools/net10.0/";

    private readonly PackagedFeed feed;

    public ReadyToRunToolTests(PackagedFeed feed) => this.feed = feed;

    public static TheoryData<string> Precompiled => new()
    {
        "patchgen.dll",
        "PatchGen.Diff.dll",
        "PatchGen.Rules.dll",
        "PatchGen.Cecil.dll",
        "PatchGen.Emit.dll",
        "PatchGen.Instrumentation.dll",
        "PatchGen.SourcePatching.dll",
        "PatchGen.Baseline.dll",
        "Mono.Cecil.dll",
        "Microsoft.CodeAnalysis.dll",
        "Microsoft.CodeAnalysis.CSharp.dll",
        "System.CommandLine.dll",
    };

    [Theory]
    [MemberData(nameof(Precompiled))]
    public void ToolAssembly_CarriesReadyToRunCodeForThisPlatform(string file)
    {
        var image = ReadyToRunImage.Read(Entry("PatchGen.Build", ToolFolder + file));
        Assert.True(image.HasReadyToRunCode, file + " has no ReadyToRun code");
        Assert.Equal(ReadyToRunImage.ThisPlatform(), image.Machine);
    }

    [Theory]
    [InlineData("PatchGen.Runtime.dll", "PatchGen.Runtime", "lib/net10.0/")]
    [InlineData("PatchGen.Diagnostics.dll", "PatchGen.Diagnostics", "lib/netstandard2.0/")]
    public void AssemblyCopiedIntoApps_IsTheLibraryPackagesIL(string file, string package, string folder)
    {
        var shipped = Entry("PatchGen.Build", ToolFolder + file);
        Assert.False(ReadyToRunImage.Read(shipped).HasReadyToRunCode, file + " was precompiled");
        Assert.Equal(Entry(package, folder + file), shipped);
    }

    [Fact]
    public void PackagedTool_RunsWithItsPrecompiledCode_AndWithout()
    {
        var tool = Path.Combine(feed.Root, "tool");
        ZipFile.ExtractToDirectory(Path.Combine(feed.Feed, "PatchGen.Build.0.1.0.nupkg"), tool);
        var patchgen = Path.Combine(tool, "tools", "net10.0", "patchgen.dll");
        // A real diff through Cecil, the engine and its rules: an assembly against itself has nothing to patch (exit 3).
        var input = Path.Combine(tool, "tools", "net10.0", "PatchGen.Runtime.dll");
        string[] arguments = [patchgen, "diff", input, input, "--json"];

        var precompiled = DotnetCommand.Run(tool, feed.Environment, PackagedFeed.BuildTimeout, arguments);
        var jitted = DotnetCommand.Run(tool, new Dictionary<string, string>(feed.Environment) { ["DOTNET_ReadyToRun"] = "0" }, PackagedFeed.BuildTimeout, arguments);

        Assert.True(precompiled.ExitCode == 3, precompiled.ToString());
        Assert.True(jitted.ExitCode == 3, jitted.ToString());
        Assert.Equal(precompiled.Output, jitted.Output);
    }

    private byte[] Entry(string package, string path)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, package + ".0.1.0.nupkg"));
        var entry = zip.GetEntry(path) ?? throw new FileNotFoundException($"{package} has no {path}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
