namespace PatchGen.Cli.Tests;

/// <summary>The README's main job, run for real on one fix of each kind (real dotnet builds, real service runs).</summary>
[Collection(RealDotnetBuilds.Name)]
public class DemoCommandTests
{
    [Fact]
    public void PatchableFixIsAppliedLiveUnderLoadAndDisabledWithNoFailedRequest()
    {
        var outcome = CliRunner.Run("demo", "--fix", "discount-rounding");

        Assert.True(outcome.ExitCode == 0, outcome.StdOut + outcome.StdErr);
        Assert.Contains("made patchable (patchgen instrument)", outcome.StdOut);
        Assert.Contains("DOTNET_STARTUP_HOOKS", outcome.StdOut);
        Assert.Contains("bodyChanged  M:ShopService.Pricing.DiscountEngine.Percent(System.Decimal,System.Decimal)", outcome.StdOut);
        Assert.Contains("verdict: patchable", outcome.StdOut);
        Assert.Contains("\"discount\":1.23", outcome.StdOut); // the fix's answer, shown before applying
        Assert.Matches(@"enabled in \d+ ms under load", outcome.StdOut);
        Assert.Matches(@"next 1\.5 s: [\d,]+ answers with the fix", outcome.StdOut);
        Assert.Matches(@"disabled in \d+ ms under load", outcome.StdOut);
        Assert.Contains("still running, never restarted", outcome.StdOut);
        Assert.Matches(@"requests: [\d,]+ answered, 0 failed or inconsistent", outcome.StdOut);
        Assert.Matches(@"the plain build's load \(the yardstick\): [1-9][\d,]* answered, 0 failed\r?\n", outcome.StdOut);
        Assert.Matches(@"plain build \(no instrumentation, no runtime\): [\d,]+ requests/s", outcome.StdOut);
        Assert.Matches(@"throughput, \d+ clients: plain [\d,]+/s, patchable [\d,]+/s \([+-][\d.]+ % vs plain\), patched [\d,]+/s", outcome.StdOut);
        Assert.DoesNotContain("PG0003", outcome.StdOut);
    }

    [Fact]
    public void FixThatAddsAFieldIsShownAsNotPatchable()
    {
        var outcome = CliRunner.Run("demo", "--fix", "idempotent-orders");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Matches(@"OrderProcessor\.cs\(\d+\): error PG2001: ", outcome.StdOut);
        Assert.Contains("verdict: NOT patchable", outcome.StdOut);
        Assert.Contains("keeps running v1, untouched", outcome.StdOut);
    }

    [Fact]
    public void WebDemoAppliesAFixLiveUnderHttpLoad()
    {
        var outcome = CliRunner.Run("demo", "--app", "web", "--fix", "reorder-at-point");

        Assert.True(outcome.ExitCode == 0, outcome.StdOut + outcome.StdErr);
        Assert.Contains("WebShop.Web.dll: ", outcome.StdOut); // each of the app's assemblies made patchable
        Assert.Contains("WebShop.Domain.dll: ", outcome.StdOut);
        Assert.Matches(@"process \d+ serves http://127\.0\.0\.1:\d+/ on Kestrel", outcome.StdOut);
        Assert.Contains("replaces M:WebShop.Domain.Stock.ReorderPolicy.DueForReorder(", outcome.StdOut);
        Assert.Matches(@"enabled in \d+ ms under load; next [\d.]+ s: [\d,]*[1-9][\d,]* answers with the fix", outcome.StdOut);
        Assert.Matches(@"disabled in \d+ ms under load", outcome.StdOut);
        Assert.Contains("still running, never restarted", outcome.StdOut);
        Assert.Matches(@"requests: [\d,]+ answered over HTTP, 0 failed or inconsistent", outcome.StdOut);
    }

    [Fact]
    public void UnknownFixIsAOneLineInputError()
    {
        var outcome = CliRunner.Run("demo", "--fix", "no-such-fix");

        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: ", line);
        Assert.Contains("no-such-fix.patch", line);
    }
}
