using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using PatchGen.Runtime.Signing;

namespace PatchGen.Build.Tests;

/// <summary>
/// PatchGen.Build as a user meets it: packed, referenced from a local feed by a real project, and
/// run by real <c>dotnet build</c> and <c>dotnet pack</c> (docs/msbuild.md).
/// </summary>
public class PatchGenBuildTests : IClassFixture<ShopBaseline>
{
    private readonly ShopBaseline _v1;

    public PatchGenBuildTests(ShopBaseline v1)
    {
        _v1 = v1;
    }

    private PackagedFeed Feed => _v1.Feed;

    private DotnetResult Build(ShopProject project, params string[] extra)
        => Feed.Dotnet(project.Directory, new[] { "build", "-c", "Release", "-nologo", "-tl:off", "-nodeReuse:false" }.Concat(extra).ToArray());

    [Fact]
    public void PatchableBuild_InstrumentsTheOutput_KeepsItsPdb_WritesTheManifest_AndRuns()
    {
        var project = _v1.Project;
        Assert.Contains("patch sites", _v1.FirstBuild.Output);
        Assert.True(AssemblyFacts.IsPatchable(project.OutputAssembly), "the output has no PatchableAssemblyAttribute");
        // The copy in the output is the instrumented assembly in obj, byte for byte.
        Assert.Equal(File.ReadAllBytes(project.IntermediateAssembly), File.ReadAllBytes(project.OutputAssembly));

        // The PDB was rewritten with the assembly: the one beside it is the one its debug directory names.
        var pdb = Path.ChangeExtension(project.OutputAssembly, ".pdb");
        var expected = AssemblyFacts.ExpectedPdb(project.OutputAssembly);
        var actual = AssemblyFacts.PdbIdentity(pdb);
        Assert.Equal(expected.Guid, actual.Guid);
        Assert.Equal(expected.Stamp, actual.Stamp);
        Assert.Contains(AssemblyFacts.PdbDocuments(pdb), d => d == project.CartPath);

        // The manifest is next to the output and describes the build as shipped (the instrumented MVID).
        var manifest = Path.Combine(project.OutputDirectory, "App.patchgen-baseline.txt");
        Assert.True(File.Exists(manifest), "no baseline manifest next to the output");
        var manifestText = File.ReadAllText(manifest);
        Assert.Contains("mvid\t" + AssemblyFacts.Mvid(project.OutputAssembly).ToString("D"), manifestText);
        Assert.Contains("M:Shop.Pricing.Price(Shop.Item,System.Int32)", manifestText);

        // The runtime came from the PatchGen.Runtime package (deps.json), not from a copy by the tool.
        Assert.True(File.Exists(Path.Combine(project.OutputDirectory, "PatchGen.Runtime.dll")));
        Assert.Contains("\"PatchGen.Runtime/0.1.0\"", File.ReadAllText(Path.Combine(project.OutputDirectory, "App.deps.json")));

        var run = Feed.Dotnet(project.OutputDirectory, project.OutputAssembly);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(ShopProject.V1Answer, run.Output.Trim());
    }

    [Fact]
    public void SecondBuildWithNoChange_RunsNoPatchGenTool_AndLeavesTheOutputAsItWas()
    {
        var project = _v1.Project;
        var before = File.ReadAllBytes(project.OutputAssembly);
        var beforeTime = File.GetLastWriteTimeUtc(project.OutputAssembly);
        var manifest = Path.Combine(project.OutputDirectory, "App.patchgen-baseline.txt");
        var manifestTime = File.GetLastWriteTimeUtc(manifest);

        var again = Build(project, "-v:n");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Skipping target \"PatchGenInstrument\" because all output files are up-to-date", again.Output);
        Assert.Contains("Skipping target \"PatchGenWriteBaselineManifest\" because all output files are up-to-date", again.Output);
        Assert.DoesNotContain("patch sites", again.Output);
        Assert.DoesNotContain("patchgen.dll", again.Output); // the tool was never started
        Assert.Equal(before, File.ReadAllBytes(project.OutputAssembly));
        Assert.Equal(beforeTime, File.GetLastWriteTimeUtc(project.OutputAssembly));
        Assert.Equal(manifestTime, File.GetLastWriteTimeUtc(manifest));
    }

    [Fact]
    public void StrongNamedPatchableBuild_IsResignedWithTheProjectsKey()
    {
        var project = new ShopProject(Path.Combine(Feed.Root, "shop-signed"), """

                <SignAssembly>true</SignAssembly>
                <AssemblyOriginatorKeyFile>shop.snk</AssemblyOriginatorKeyFile>
            """);
        using (var rsa = new RSACryptoServiceProvider(1024))
            File.WriteAllBytes(Path.Combine(project.Directory, "shop.snk"), rsa.ExportCspBlob(includePrivateParameters: true));

        var build = Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        var image = File.ReadAllBytes(project.OutputAssembly);
        Assert.True(AssemblyFacts.IsPatchable(image), "the signed output was not instrumented");
        var signature = StrongNameVerifier.Verify(image);
        Assert.True(signature.HasSignature, "the output lost its strong name");
        Assert.True(signature.IsValid, "the instrumented output's strong-name signature does not verify: " + signature.Failure);
    }

    [Fact]
    public void PatchMode_BuildsAPatchForV1_ThatV1AppliesInProcess()
    {
        var project = new ShopProject(Path.Combine(Feed.Root, "shop-v2"));
        project.FixDiscount();
        var key = Path.Combine(project.Directory, "ops.snk");
        using (var rsa = new RSACryptoServiceProvider(1024))
            File.WriteAllBytes(key, rsa.ExportCspBlob(includePrivateParameters: true));

        var build = Build(project, "-p:PatchGenBaseline=" + _v1.BaselineAssembly, "-p:PatchGenPatchKey=" + key);
        Assert.True(build.ExitCode == 0, build.ToString());
        var patch = Path.Combine(project.OutputDirectory, "App.patch.dll");
        Assert.True(File.Exists(patch), "no App.patch.dll:\n" + build);
        Assert.Contains("patchgen: wrote " + patch, build.Output);
        Assert.DoesNotContain("warning PG", build.Output); // a body change: nothing for the analyzer to warn about

        // The shipped tool describes it as a patch of v1 (its MVID) that replaces the fixed method, and Cart.Total,
        // unchanged, which runs the inline clone of the small Price, and Receipt.Total, which runs Cart.Total's clone
        // (docs/patch-sites.md, "Inline clones"); not Main, which calls Receipt.Total itself: an entry point keeps
        // calling the originals, or v1 could never complete this patch's transition from inside Main.
        var inspect = Feed.Dotnet(project.Directory, Feed.InstalledTool, "inspect", patch, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var json = JsonDocument.Parse(inspect.Output);
        Assert.Equal(AssemblyFacts.Mvid(_v1.BaselineAssembly).ToString("D"), json.RootElement.GetProperty("base").GetProperty("mvid").GetString());
        Assert.Equal(new[] { "M:Shop.Cart.Total", "M:Shop.Pricing.Price(Shop.Item,System.Int32)", "M:Shop.Receipt.Total(Shop.Cart)" },
            json.RootElement.GetProperty("replaces").EnumerateArray().Select(r => r.GetProperty("member").GetString()).ToArray());
        var signature = json.RootElement.GetProperty("signature");
        Assert.True(signature.GetProperty("signed").GetBoolean() && signature.GetProperty("valid").GetBoolean(), "PatchGenPatchKey did not sign the patch: " + signature);

        // Built again with nothing changed: no tool runs, the patch stays as it is.
        var patchTime = File.GetLastWriteTimeUtc(patch);
        var again = Build(project, "-v:n", "-p:PatchGenBaseline=" + _v1.BaselineAssembly, "-p:PatchGenPatchKey=" + key);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Skipping target \"PatchGenBuildPatch\" because all output files are up-to-date", again.Output);
        Assert.Contains("Skipping target \"PatchGenInstrument\" because all output files are up-to-date", again.Output);
        Assert.Equal(patchTime, File.GetLastWriteTimeUtc(patch));

        // v1, as it runs in production, applies the patch in-process and answers as the fix does.
        var patched = Feed.Dotnet(_v1.BaselineDirectory, _v1.BaselineAssembly, patch);
        Assert.True(patched.ExitCode == 0, patched.ToString());
        Assert.Equal(ShopProject.V2Answer, patched.Output.Trim());
        var unpatched = Feed.Dotnet(_v1.BaselineDirectory, _v1.BaselineAssembly);
        Assert.Equal(ShopProject.V1Answer, unpatched.Output.Trim());

        // v2 itself is patchable too: the next patch is built against it.
        Assert.True(AssemblyFacts.IsPatchable(project.OutputAssembly));
    }

    [Fact]
    public void PatchGenModel_ReachesThePatchToolAndTheAnalyzer_AndABadValueFailsWithPG0001()
    {
        var project = new ShopProject(Path.Combine(Feed.Root, "shop-model"));
        project.FixDiscount();
        var editorConfig = Path.Combine(project.Directory, "obj", "Release", "net10.0", "App.GeneratedMSBuildEditorConfig.editorconfig");

        var extended = Build(project, "-v:n", "-p:PatchGenBaseline=" + _v1.BaselineAssembly, "-p:PatchGenModel=extended");
        Assert.True(extended.ExitCode == 0, extended.ToString());
        Assert.Contains("--model extended", extended.Output);
        Assert.True(File.Exists(Path.Combine(project.OutputDirectory, "App.patch.dll")), "no App.patch.dll:\n" + extended);
        // What the compiler hands the analyzer as build_property.PatchGenModel.
        Assert.Contains("build_property.PatchGenModel = extended", File.ReadAllText(editorConfig));

        var bad = Build(project, "-v:n", "-p:PatchGenBaseline=" + _v1.BaselineAssembly, "-p:PatchGenModel=lenient");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Matches(new Regex(@"error PG0001: .*--model 'lenient' is not a model: expected simple or extended"), bad.Output);
    }

    [Fact]
    public void PatchMode_NothingChanged_IsAMessage_NotAnError()
    {
        var project = new ShopProject(Path.Combine(Feed.Root, "shop-unchanged"));
        var build = Build(project, "-v:n", "-p:PatchGenBaseline=" + _v1.BaselineAssembly);
        Assert.True(build.ExitCode == 0, build.ToString());
        // The compiler got the manifest next to the baseline, for the analyzer.
        Assert.Contains("/additionalfile:" + Path.Combine(_v1.BaselineDirectory, "App.patchgen-baseline.txt"), build.Output);
        Assert.Contains("message PG0007: nothing to patch", build.Output);
        Assert.DoesNotContain(": error ", build.Output);
        Assert.DoesNotContain("warning PG", build.Output);
        Assert.False(File.Exists(Path.Combine(project.OutputDirectory, "App.patch.dll")));
    }

    [Fact]
    public void PatchMode_DataChange_FailsWithPG2001AtTheFieldsLine_AndWritesNoPatch()
    {
        var project = new ShopProject(Path.Combine(Feed.Root, "shop-v3"));
        int fieldLine = project.FixWithNewField();
        var patch = Path.Combine(project.OutputDirectory, "App.patch.dll");
        var error = new Regex(@"^\s*" + Regex.Escape(project.CartPath) + @"\(" + fieldLine + @"\): error PG2001: Cart\._itemCount adds a field", RegexOptions.Multiline);
        // A baseline shipped without its manifest: the build generates one for the analyzer.
        var baseline = Path.Combine(Feed.Root, "production-v1-no-manifest");
        Directory.CreateDirectory(baseline);
        foreach (var file in Directory.GetFiles(_v1.BaselineDirectory).Where(f => !f.EndsWith(".patchgen-baseline.txt", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(baseline, Path.GetFileName(file)));
        var baselineAssembly = Path.Combine(baseline, "App.dll");
        // A patch an earlier build left there must not outlive a build that rejects the change.
        Directory.CreateDirectory(project.OutputDirectory);
        File.WriteAllText(patch, "the patch of an earlier build");

        var build = Build(project, "-v:n", "-p:PatchGenBaseline=" + baselineAssembly);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(error, build.Output);
        Assert.False(File.Exists(patch), "a patch is left beside the output of a build that rejected the change");
        Assert.Contains("removed the patch of an earlier build: " + patch, build.Output);
        // The analyzer came with PatchGen.Build and read the generated manifest (AdditionalFiles): it warned at compile time.
        var generated = Path.Combine(project.Directory, "obj", "Release", "net10.0", "patchgen", "baseline", "App.patchgen-baseline.txt");
        Assert.True(File.Exists(generated), "no manifest was generated for a baseline without one");
        Assert.Contains("/additionalfile:" + generated, build.Output);
        Assert.Matches(new Regex(@"^\s*" + Regex.Escape(project.CartPath) + @"\(" + fieldLine + @",\d+\): warning PG2001", RegexOptions.Multiline), build.Output);

        // A deterministic CI build records mapped paths (/_/Cart.cs) in its PDB: the error still names the file on disk.
        var mapped = Build(project, "--no-incremental", "-p:PatchGenBaseline=" + baselineAssembly,
            "-p:PathMap=" + project.Directory + Path.DirectorySeparatorChar + "=/_/");
        Assert.NotEqual(0, mapped.ExitCode);
        Assert.Matches(error, mapped.Output);
        Assert.DoesNotContain("/_/", mapped.Output);
        Assert.False(File.Exists(patch), "a patch was written for a rejected change");
    }

    [Fact]
    public void Pack_OfThePatchableProject_ShipsTheInstrumentedAssembly()
    {
        var project = _v1.Project;
        var output = Path.Combine(project.Directory, "packed");
        var pack = Feed.Dotnet(project.Directory, "pack", "-c", "Release", "-nologo", "-tl:off", "-nodeReuse:false", "-o", output);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        using var package = ZipFile.OpenRead(Path.Combine(output, "App.1.0.0.nupkg"));
        var entry = package.GetEntry("lib/net10.0/App.dll");
        Assert.NotNull(entry);
        using var stream = new MemoryStream();
        using (var content = entry.Open())
            content.CopyTo(stream);
        Assert.True(AssemblyFacts.IsPatchable(stream.ToArray()), "the packed App.dll is not instrumented");
        Assert.Equal(File.ReadAllBytes(project.OutputAssembly), stream.ToArray());
    }
}
