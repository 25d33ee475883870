using System.Text.Json;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen build --base --new</c> (docs/cli.md): exit 0 and a patch when the change is patchable; 1
/// with the diff's own diagnostics when it is not; 3 when no body changed; 2 with one PG0001 line
/// for bad input. Whatever the outcome, a failed build writes nothing and leaves an existing output
/// file as it was.
/// </summary>
public class BuildCommandTests
{
    private const string TwoMethodsCase = "GenericTypeAndMethodBodyChangesArePatchable";

    private static readonly string[] TwoMethods =
    {
        "M:Cases.Repository`1.Find(System.Int32)",
        "M:Cases.Repository`1.Project``1(System.Int32,System.Func{`0,``0},``0)",
    };

    [Fact]
    public void PatchableChangeWritesThePatchAndInspectShowsWhatTheBuildReported()
    {
        var pair = CasePatches.Instrumented(TwoMethodsCase);
        var output = Path.Combine(pair.Directory, "out", "fix.dll");

        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output);

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Equal("", build.StdErr);
        Assert.True(File.Exists(output));
        Assert.Contains($"patchgen: wrote {output}: patch 'fix' for CaseAssembly", build.StdOut);
        var built = CasePatches.ReplacedMethods(build.StdOut);
        Assert.Equal(TwoMethods, built.Select(r => r.Member));
        // Two methods, two distinct patch sites of the base.
        Assert.Equal(2, built.Select(r => r.Site).Distinct().Count());

        var inspect = CliRunner.Run("inspect", output);

        Assert.Equal(0, inspect.ExitCode);
        Assert.Equal("", inspect.StdErr);
        Assert.Equal(built, CasePatches.ReplacedMethods(inspect.StdOut));
        var baseMvid = CasePatches.MvidOf(pair.Base);
        // Bound to the instrumented build production runs, which is not the plain build's MVID.
        Assert.NotEqual(CasePatches.MvidOf(pair.PlainBase), baseMvid);
        Assert.Contains($"patches:    CaseAssembly, base MVID {baseMvid:D}", inspect.StdOut);
        Assert.Contains("signature:  unsigned", inspect.StdOut);
        Assert.Contains("cumulative: no", inspect.StdOut);
        Assert.Contains("Patch 'fix' ", inspect.StdOut);
        Assert.Contains("Replaces 2 methods:", inspect.StdOut);
    }

    [Fact]
    public void BuildingTwiceGivesByteIdenticalPatches()
    {
        var pair = CasePatches.Instrumented(TwoMethodsCase);
        var first = Path.Combine(pair.Directory, "first", "fix.dll");
        var second = Path.Combine(pair.Directory, "second", "nested", "fix.dll");
        // Same --id under another file name: neither the path nor the file name may reach the bytes.
        var renamed = Path.Combine(pair.Directory, "third", "other-name.dll");

        Assert.Equal(0, CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", first).ExitCode);
        Assert.Equal(0, CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", second).ExitCode);
        Assert.Equal(0, CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", renamed, "--id", "fix").ExitCode);

        var bytes = File.ReadAllBytes(first);
        Assert.Equal(bytes, File.ReadAllBytes(second));
        Assert.Equal(bytes, File.ReadAllBytes(renamed));
    }

    [Theory]
    [InlineData("FieldAddedToClassIsRejected")]
    [InlineData("InstanceMethodMadeStaticIsSignatureChange")]
    public void NotPatchableExitsOneWithTheDiagnosticsOfDiffAndWritesNothing(string caseName)
    {
        var expected = File.ReadAllLines(Path.Combine(Repository.CasesDirectory, caseName, "expected.txt"));
        Assert.Contains("patchable false", expected);
        var expectedIds = expected.Where(l => l.StartsWith("PG", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        Assert.Contains(expectedIds, id => id.StartsWith("PG1", StringComparison.Ordinal) || id.StartsWith("PG2", StringComparison.Ordinal));
        var pair = CasePatches.Instrumented(caseName);
        var outDir = Path.Combine(pair.Directory, "out");
        Directory.CreateDirectory(outDir);
        var output = Path.Combine(outDir, "fix.dll");

        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output);
        var diff = CliRunner.Run("diff", pair.Base, pair.New);

        Assert.Equal(1, build.ExitCode);
        Assert.Equal(1, diff.ExitCode);
        var ids = CasePatches.DiagnosticIds(build.StdOut);
        Assert.Equal(CasePatches.DiagnosticIds(diff.StdOut), ids);
        Assert.All(expectedIds, id => Assert.Contains("error " + id, ids));
        Assert.EndsWith("patchgen: NOT patchable; nothing written\n", build.StdOut);
        Assert.Equal("", build.StdErr);
        Assert.Empty(CasePatches.Entries(outDir));
    }

    [Fact]
    public void ExtendedModelTurnsARejectionIntoAWarningAndWritesThePatch()
    {
        const string caseName = "RemovedFieldIsKeptUnderExtendedModel";
        var pair = CasePatches.Instrumented(caseName);
        var output = Path.Combine(pair.Directory, "out", "fix.dll");

        var simple = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output);
        Assert.Equal(1, simple.ExitCode);
        Assert.Contains("error PG2002", CasePatches.DiagnosticIds(simple.StdOut));
        Assert.Equal(1, CliRunner.Run("diff", pair.Base, pair.New, "--model", "simple").ExitCode);

        var diff = CliRunner.Run("diff", pair.Base, pair.New, "--model", "extended");
        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output, "--model", "extended");
        Assert.Equal(0, diff.ExitCode);
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Contains("warning PG3009", CasePatches.DiagnosticIds(build.StdOut));
        Assert.Equal(CasePatches.DiagnosticIds(diff.StdOut), CasePatches.DiagnosticIds(build.StdOut));
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void NothingToPatchExitsThreeAndWritesNothing()
    {
        var pair = CasePatches.Instrumented("CommentOnlyEditIsNothingToPatch");
        var outDir = Path.Combine(pair.Directory, "out");
        Directory.CreateDirectory(outDir);

        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", Path.Combine(outDir, "fix.dll"));

        Assert.Equal(3, build.ExitCode);
        Assert.Equal(new[] { "info PG0007" }, CasePatches.DiagnosticIds(build.StdOut));
        Assert.EndsWith("patchgen: nothing to patch; nothing written\n", build.StdOut);
        Assert.Empty(CasePatches.Entries(outDir));
    }

    [Fact]
    public void PlainBaseIsRefusedWithPg0003AsAnError()
    {
        var pair = CasePatches.Instrumented("BodyChangeIsPatchable");
        var outDir = Path.Combine(pair.Directory, "out");

        var build = CliRunner.Run("build", "--base", pair.PlainBase, "--new", pair.New, "-o", Path.Combine(outDir, "fix.dll"));

        Assert.Equal(1, build.ExitCode);
        // diff only warns (a plain base can still be compared); a patch for it could never take effect.
        Assert.Contains("error PG0003", CasePatches.DiagnosticIds(build.StdOut));
        Assert.Contains(pair.PlainBase, build.StdOut);
        Assert.Contains("warning PG0003", CasePatches.DiagnosticIds(CliRunner.Run("diff", pair.PlainBase, pair.New).StdOut));
        Assert.Empty(CasePatches.Entries(outDir));
    }

    /// <summary>
    /// The output folder holds an earlier patch; a build refused for bad input prints one PG0001 line
    /// naming the culprit, and leaves that patch byte for byte as it was, with nothing beside it.
    /// </summary>
    private static void AssertRefused(CliRunner.Outcome outcome, string mentions, string existingOutput, byte[] before)
    {
        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: ", line);
        Assert.Contains(mentions, line);
        Assert.DoesNotContain("   at ", outcome.StdErr);
        Assert.DoesNotContain("patchgen: wrote", outcome.StdOut);
        Assert.Equal(before, File.ReadAllBytes(existingOutput));
        Assert.Equal(new[] { existingOutput }, CasePatches.Entries(Path.GetDirectoryName(existingOutput)!));
    }

    /// <summary>A patchable pair and an output path where an earlier patch already is.</summary>
    private static (CasePatches.Pair Pair, string Output, byte[] Before) WithExistingOutput()
    {
        var pair = CasePatches.Instrumented("BodyChangeIsPatchable");
        var output = Path.Combine(pair.Directory, "out", "fix.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var before = "an earlier patch, not to be clobbered by a failed build"u8.ToArray();
        File.WriteAllBytes(output, before);
        return (pair, output, before);
    }

    [Fact]
    public void MissingBaseIsOneLineAndLeavesTheOutputAlone()
    {
        var (pair, output, before) = WithExistingOutput();
        var missing = Path.Combine(pair.Directory, "nope", "CaseAssembly.dll");

        var outcome = CliRunner.Run("build", "--base", missing, "--new", pair.New, "-o", output);

        AssertRefused(outcome, missing + ": file not found", output, before);
    }

    [Fact]
    public void CorruptNewIsOneLineAndLeavesTheOutputAlone()
    {
        var (pair, output, before) = WithExistingOutput();
        var corrupt = Path.Combine(pair.Directory, "corrupt", "CaseAssembly.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
        File.WriteAllBytes(corrupt, File.ReadAllBytes(pair.New)[..300]);

        var outcome = CliRunner.Run("build", "--base", pair.Base, "--new", corrupt, "-o", output);

        AssertRefused(outcome, corrupt, output, before);
        Assert.DoesNotContain(pair.Base, outcome.StdErr);
    }

    [Fact]
    public void CorruptedNewNeverCrashesAndTheErrorNamesIt()
    {
        var pair = CasePatches.Instrumented("BodyChangeIsPatchable");
        var bytes = File.ReadAllBytes(pair.New);
        var random = new Random(20261123);
        for (int round = 0; round < 60; round++)
        {
            var copy = (byte[])bytes.Clone();
            for (int i = 0; i < 8; i++)
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            var corrupt = Path.Combine(pair.Directory, "corrupt-" + round, "CaseAssembly.dll");
            Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
            File.WriteAllBytes(corrupt, copy);

            var outcome = CliRunner.Run("build", "--base", pair.Base, "--new", corrupt, "-o", Path.Combine(pair.Directory, "out-" + round, "fix.dll"));

            // Bytes that still read are a valid build with some verdict; anything else is one line naming the corrupt file.
            Assert.True(outcome.ExitCode is 0 or 1 or 2 or 3, $"round {round}: exit {outcome.ExitCode}");
            Assert.DoesNotContain("   at ", outcome.StdErr);
            if (outcome.ExitCode == 2)
            {
                var line = Assert.Single(outcome.ErrorLines);
                Assert.Matches("^patchgen: error PG000[12]: ", line);
                Assert.Contains(corrupt, line);
            }
        }
    }

    [Fact]
    public void MixingNewWithProjectIsAUsageError()
    {
        var (pair, output, before) = WithExistingOutput();

        var outcome = CliRunner.Run("build", "--new", pair.New, "--project", Path.Combine(pair.Directory, "App.csproj"),
            "--diff", Path.Combine(pair.Directory, "fix.patch"), "-o", output);

        AssertRefused(outcome, "--new", output, before);
        Assert.Contains("--project", outcome.StdErr);
        Assert.Equal("", outcome.StdOut);
    }

    /// <summary>Several assemblies are several --base/--new pairs: a --base without its --new, or one assembly twice, writes nothing.</summary>
    [Theory]
    [InlineData("unpaired", "one --new for each --base")]
    [InlineData("repeated", "a second base of assembly 'CaseAssembly'")]
    public void PairsThatDoNotMakeOnePatchOfSeveralAssembliesAreRefused(string shape, string mentions)
    {
        var (pair, output, before) = WithExistingOutput();
        string[] pairs = shape == "unpaired"
            ? ["--base", pair.Base, "--new", pair.New, "--base", pair.Base]
            : ["--base", pair.Base, "--new", pair.New, "--base", pair.Base, "--new", pair.New];

        var outcome = CliRunner.Run(["build", .. pairs, "-o", output]);

        AssertRefused(outcome, mentions, output, before);
    }

    [Fact]
    public void MissingOutputIsAUsageError()
    {
        var pair = CasePatches.Instrumented("BodyChangeIsPatchable");
        var entries = CasePatches.Entries(pair.Directory);

        var outcome = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New);

        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: patchgen build: ", line);
        Assert.Contains("--output", line);
        Assert.Contains("--help", line);
        Assert.Equal("", outcome.StdOut);
        Assert.Equal(entries, CasePatches.Entries(pair.Directory));
    }

    [Fact]
    public void MissingKeyFileIsOneLineAndLeavesTheOutputAlone()
    {
        var (pair, output, before) = WithExistingOutput();
        var key = Path.Combine(pair.Directory, "keys", "release.snk");

        var outcome = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output, "--sign", key);

        AssertRefused(outcome, key + ": key file not found", output, before);
    }

    [Fact]
    public void UnusableKeyIsRefusedBeforeBuildingAndLeavesTheOutputAlone()
    {
        // The key is checked before the diff: an unusable key is an input error whatever the change is.
        var (pair, output, before) = WithExistingOutput();
        var key = Path.Combine(pair.Directory, "bad.snk");
        File.WriteAllText(key, "not a key pair");

        var outcome = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output, "--sign", key);

        AssertRefused(outcome, key, output, before);
    }

    [Fact]
    public void PublicKeyOnlyCannotSignAndIsRefusedEvenForAnUnpatchableChange()
    {
        var pair = CasePatches.Instrumented("FieldAddedToClassIsRejected");
        var key = Path.Combine(pair.Directory, "public.snk");
        using (var rsa = new System.Security.Cryptography.RSACryptoServiceProvider(1024))
            File.WriteAllBytes(key, rsa.ExportCspBlob(includePrivateParameters: false));
        var output = Path.Combine(pair.Directory, "new-folder", "fix.dll");

        var outcome = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output, "--sign", key);

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("patchgen: error PG0001: " + key + ": holds only a public key", outcome.StdErr);
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)));
    }

    [Fact]
    public void IdAndCumulativeAreRecordedInThePatch()
    {
        var pair = CasePatches.Instrumented("BodyChangeIsPatchable");
        var output = Path.Combine(pair.Directory, "out", "fix.dll");

        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output, "--id", "hotfix-42", "--cumulative");

        Assert.Equal(0, build.ExitCode);
        Assert.Contains("patch 'hotfix-42'", build.StdOut);
        var text = CliRunner.Run("inspect", output).StdOut;
        Assert.StartsWith("Patch 'hotfix-42' ", text);
        Assert.Contains("cumulative: yes", text);
        using var json = JsonDocument.Parse(CliRunner.Run("inspect", output, "--json").StdOut);
        Assert.Equal("hotfix-42", json.RootElement.GetProperty("id").GetString());
        Assert.True(json.RootElement.GetProperty("cumulative").GetBoolean());
    }

    [Fact]
    public void SignedPatchCarriesTheKeysToken()
    {
        var pair = CasePatches.Instrumented("BodyChangeIsPatchable");
        var key = CasePatches.NewKey(pair.Directory, "release");
        var token = CasePatches.TokenOf(key);
        var output = Path.Combine(pair.Directory, "out", "fix.dll");

        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", output, "--sign", key);

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.True(CasePatches.HasStrongNameSignature(output));
        var text = CliRunner.Run("inspect", output);
        Assert.Equal(0, text.ExitCode);
        // Whether the signature verifies is another feature's business: only "signed" and the token here.
        Assert.Matches(@"signature:  signed\b.*\bpublic key token " + token + @"\b", text.StdOut);
        using var json = JsonDocument.Parse(CliRunner.Run("inspect", output, "--json").StdOut);
        var signature = json.RootElement.GetProperty("signature");
        Assert.True(signature.GetProperty("signed").GetBoolean());
        Assert.Equal(token, signature.GetProperty("publicKeyToken").GetString());
    }
}

/// <summary>Tests that run real <c>dotnet build</c>s: one at a time, since each one keeps a small machine busy.</summary>
[CollectionDefinition(Name)]
public sealed class RealDotnetBuilds
{
    public const string Name = "real dotnet builds";
}

/// <summary>
/// <c>patchgen build --project --diff</c> on the ShopService sample: real Release builds of a copy
/// as it is and of a copy with the fix applied, so kept to one fix of each verdict.
/// </summary>
[Collection(RealDotnetBuilds.Name)]
public class BuildFromProjectTests
{
    private static string App => Path.Combine(Repository.TestData, "apps", "ShopService");

    private static string Project => Path.Combine(App, "ShopService.csproj");

    private static string Fix(string name) => Path.Combine(App, "fixes", name + ".patch");

    /// <summary>The command builds copies: the sample in the repository never gets a bin or obj of its own.</summary>
    private static CliRunner.Outcome RunLeavingTheSampleAlone(params string[] args)
    {
        bool hadBin = Directory.Exists(Path.Combine(App, "bin")), hadObj = Directory.Exists(Path.Combine(App, "obj"));
        var outcome = CliRunner.Run(args);
        Assert.Equal(hadBin, Directory.Exists(Path.Combine(App, "bin")));
        Assert.Equal(hadObj, Directory.Exists(Path.Combine(App, "obj")));
        return outcome;
    }

    [Fact]
    public void BodyOnlyFixBuildsAPatchForTheMethod()
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("project-build"), "discount-rounding.dll");

        var build = RunLeavingTheSampleAlone("build", "--project", Project, "--diff", Fix("discount-rounding"), "-o", output);

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        const string percent = "M:ShopService.Pricing.DiscountEngine.Percent(System.Decimal,System.Decimal)";
        Assert.Equal(new[] { percent }, CasePatches.ReplacedMethods(build.StdOut).Select(r => r.Member));
        // Percent is small, so the base has an inline clone of it that its callers use: the patch replaces them too,
        // unchanged (docs/patch-sites.md, "Inline clones"), and says why.
        string[] callers =
        [
            "M:ShopService.Pricing.DiscountEngine.BulkDiscount(System.Collections.Generic.IReadOnlyList{ShopService.Pricing.PricedLine})",
            "M:ShopService.Pricing.DiscountEngine.CouponDiscount(System.Collections.Generic.IReadOnlyList{ShopService.Pricing.PricedLine},ShopService.Pricing.Coupon,System.Decimal)",
            "M:ShopService.Pricing.DiscountEngine.Discount(System.Collections.Generic.IReadOnlyList{ShopService.Pricing.PricedLine},System.String,System.Collections.Generic.List{System.String})",
        ];
        foreach (var caller in callers)
            Assert.Matches(@"\n  " + System.Text.RegularExpressions.Regex.Escape(caller) + @" \(site \d+; unchanged, replaced because it runs an inlined copy of " + System.Text.RegularExpressions.Regex.Escape(percent) + @"\)\n", build.StdOut);
        using var json = JsonDocument.Parse(CliRunner.Run("inspect", output, "--json").StdOut);
        Assert.Equal("ShopService", json.RootElement.GetProperty("base").GetProperty("name").GetString());
        Assert.Equal(callers.Append(percent).Order(StringComparer.Ordinal), json.RootElement.GetProperty("replaces").EnumerateArray().Select(r => r.GetProperty("member").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FixThatAddsAFieldIsNotPatchable()
    {
        var outDir = InlineAssembly.TempDirectory("project-build");

        var build = RunLeavingTheSampleAlone("build", "--project", Project, "--diff", Fix("idempotent-orders"), "-o", Path.Combine(outDir, "idempotent-orders.dll"));

        Assert.True(build.ExitCode == 1, build.StdOut + build.StdErr);
        Assert.Contains("error PG2001", CasePatches.DiagnosticIds(build.StdOut));
        Assert.Matches(@"OrderProcessor\.cs\(\d+\): error PG2001: ", build.StdOut);
        Assert.Empty(CasePatches.Entries(outDir));
    }

    [Fact]
    public void DiffThatDoesNotApplyIsOneLineNamingThePatch()
    {
        var outDir = InlineAssembly.TempDirectory("project-bogus");
        var bogus = Path.Combine(outDir, "bogus.patch");
        // Well formed, so it is parsed; its context is nowhere in the file, so it cannot be applied.
        File.WriteAllText(bogus, """
            --- a/Pricing/DiscountEngine.cs
            +++ b/Pricing/DiscountEngine.cs
            @@ -10,3 +10,3 @@
             this line is not in the file
            -nor is this one
            +but the patch replaces it
             and this is not there either

            """);

        var build = RunLeavingTheSampleAlone("build", "--project", Project, "--diff", bogus, "-o", Path.Combine(outDir, "bogus.dll"));

        Assert.Equal(2, build.ExitCode);
        var line = Assert.Single(build.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: " + bogus + ": ", line);
        Assert.Contains("does not apply to Pricing/DiscountEngine.cs", line);
        Assert.Equal(new[] { bogus }, CasePatches.Entries(outDir));
    }
}
