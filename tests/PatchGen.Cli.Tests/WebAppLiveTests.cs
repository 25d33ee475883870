using PatchGen.Cli.Demo;
using PatchGen.Emit;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// The ASP.NET Core sample (<c>testdata/apps/WebShop</c>) as production runs it: built once for the class
/// with <c>dotnet build</c>, made patchable, started on Kestrel as a child process with the runtime as a
/// startup hook, and kept under HTTP load by clients that check every answer against v1's and the fix's.
/// Each fix of its <c>fixes</c> folder is built from its diff, applied and disabled through the command
/// line (<c>patchgen apply|disable --pid</c>) with zero failed or inconsistent requests; the fix inside a
/// minimal-API route handler lambda reaches the endpoint whose delegate was made at startup.
/// </summary>
[Collection(RealDotnetBuilds.Name)]
public sealed class WebAppLiveTests : IClassFixture<WebAppLiveTests.RunningWebApp>
{
    private readonly RunningWebApp _app;

    public WebAppLiveTests(RunningWebApp app)
    {
        _app = app;
    }

    /// <summary>
    /// Under load, every patchable fix: those on the request path too, whose threads all run compiled-expression
    /// frames (<c>lambda_method&lt;N&gt;</c>, minimal APIs' request delegate and MVC's action executor), judged by
    /// what the JIT inlined into them (docs/consistency-model.md, "Dynamic methods").
    /// </summary>
    [Theory]
    [InlineData("reorder-at-point")]
    [InlineData("paging-offset")]
    [InlineData("free-shipping-threshold")]
    [InlineData("search-ignore-case")]
    [InlineData("coupon-codes")]
    public void FixIsAppliedAndDisabledThroughTheCliUnderHttpLoadWithNoFailedRequest(string name)
    {
        var fix = _app.Fixes[name];
        Assert.True(fix.PatchPath is not null, string.Join("\n", fix.Patch?.Diagnostics.Select(d => d.ToString()) ?? []));
        using (var load = new LoadGenerator(_app.Process.BaseAddress, 4, _app.Expected[name]))
        {
            WaitFor(() => load.V1Answers > 50);

            var id = ApplyOrUndo(fix, "load", out var apply);
            Assert.Contains($"'{id}' enabled in", apply.StdOut);
            long v2AtEnable = load.V2Answers;
            WaitFor(() => load.V2Answers > v2AtEnable + 50);

            var disable = CliRunner.Run("disable", id, "--pid", Pid);
            Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);
            long v1AtDisable = load.V1Answers;
            WaitFor(() => load.V1Answers > v1AtDisable + 50);

            Assert.Empty(load.Failures);
        }
        Assert.False(_app.Process.HasExited);
    }

    /// <summary>Every patchable fix, one request at a time: applied through the CLI, every answer it changes switches to the fix's, and back once disabled.</summary>
    [Theory]
    [InlineData("reorder-at-point")]
    [InlineData("paging-offset")]
    [InlineData("free-shipping-threshold")]
    [InlineData("search-ignore-case")]
    [InlineData("coupon-codes")]
    public void FixReachesTheRunningAppThroughTheCliAndIsDisabled(string name)
    {
        var fix = _app.Fixes[name];
        var changed = _app.Expected[name].Where(e => e.V1 != e.V2).ToList();
        Assert.NotEmpty(changed);

        var id = ApplyOrUndo(fix, "one-by-one", out _);
        // The background service publishes at its next check (50 ms): the answer may lag the transition a little.
        foreach (var (request, _, v2) in changed)
            WaitFor(() => Ask(request) == v2);
        var disable = CliRunner.Run("disable", id, "--pid", Pid);
        Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);
        foreach (var (request, v1, _) in changed)
            WaitFor(() => Ask(request) == v1);
        foreach (var (request, v1, _) in _app.Expected[name].Where(e => e.V1 == e.V2))
            Assert.Equal(v1, Ask(request));
    }

    /// <summary>
    /// Applies the fix through the CLI, as a patch of its own ID for this <paramref name="use"/> (a disabled
    /// patch stays loaded under its ID, and each test applies its own); if that fails, reverses what it
    /// started, so that the next test finds v1. Returns the patch ID.
    /// </summary>
    private string ApplyOrUndo(WebFix fix, string use, out CliRunner.Outcome apply)
    {
        var id = fix.PatchId + "-" + use;
        var path = Path.Combine(_app.Work, id + ".dll");
        Assert.Equal(0, PatchBuilder.Build(fix.BuildOptions(path, id)).ExitCode);
        apply = CliRunner.Run("apply", path, "--pid", Pid);
        if (apply.ExitCode != 0)
            CliRunner.Run("disable", id, "--pid", Pid);
        Assert.True(apply.ExitCode == 0, apply.StdOut + apply.StdErr);
        return id;
    }

    [Fact]
    public void LambdaFixIsReplacedInPlaceAndAnsweredByTheEndpointMadeAtStartup()
    {
        var fix = _app.Fixes["paging-offset"];
        // The route handler's own method, through its own site; not the entry point that never returns.
        var replaced = Assert.Single(fix.Patch!.Replaced).DocumentationId;
        Assert.StartsWith("M:Program.<>c.{{Main}$}b__", replaced);
        Assert.DoesNotContain(fix.Patch.Diagnostics, d => d.Id is "PG3006" or "PG3008");
        var (request, v1, v2) = _app.Expected["paging-offset"].Single(e => e.V1 != e.V2);
        Assert.StartsWith("GET /api/products?page=1", request);

        Assert.Equal(v1, Ask(request));
        var id = ApplyOrUndo(fix, "lambda", out _);
        var patched = Ask(request);
        var disable = CliRunner.Run("disable", id, "--pid", Pid);
        Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);

        Assert.Equal(v2, patched);
        Assert.Contains("\"items\":[{\"sku\":\"BOOK-001\"", patched); // page 1 starts at the first product
        Assert.Equal(v1, Ask(request));
    }

    [Fact]
    public void FixSpanningTwoProjectsIsOnePatchOfBothAssemblies()
    {
        var fix = _app.Fixes["coupon-codes"];

        Assert.Null(fix.Refusal);
        Assert.Equal(new[] { "WebShop.Domain/WebShop.Domain.csproj", "WebShop.Web/WebShop.Web.csproj" }, fix.Projects.OrderBy(p => p, StringComparer.Ordinal));
        Assert.True(fix.PatchPath is not null, string.Join("\n", fix.Patch?.Diagnostics.Select(d => d.ToString()) ?? []));
        var inspect = CliRunner.Run("inspect", fix.PatchPath!);
        Assert.Contains("WebShop.Domain", inspect.StdOut);
        Assert.Contains("WebShop.Web", inspect.StdOut);
    }

    private string Pid => _app.Process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Ask(string request)
    {
        using var connection = new HttpConnection(_app.Process.BaseAddress);
        return connection.AskAsync(request, CancellationToken.None).GetAwaiter().GetResult()!;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            Thread.Sleep(50);
        }
    }

    /// <summary>v1 built once, made patchable and serving; every fix built into its patch (or refused), with the answers v1 and the fix give.</summary>
    public sealed class RunningWebApp : IDisposable
    {
        private readonly WebSample _sample;

        public RunningWebApp()
        {
            _sample = new WebSample(Path.Combine(Repository.TestData, "apps", "WebShop"));
            Work = _sample.WorkDirectory;
            var (v1, _) = _sample.BuildBase();
            Process = ServiceProcess.Start(v1.AssemblyPath, controlDirectory: null, arguments: ServiceProcess.WebArguments);
            var v1Answers = WebSample.AnswersOf(Process);
            foreach (var name in _sample.FixNames)
            {
                var fix = _sample.BuildFix(name);
                Fixes[name] = fix;
                if (fix.PatchPath is not null)
                    Expected[name] = WebSample.Expected(v1Answers, fix);
            }
        }

        public string Work { get; }

        internal Dictionary<string, WebFix> Fixes { get; } = new(StringComparer.Ordinal);

        internal Dictionary<string, IReadOnlyList<(string Request, string V1, string V2)>> Expected { get; } = new(StringComparer.Ordinal);

        internal ServiceProcess Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            _sample.Dispose();
        }
    }
}
