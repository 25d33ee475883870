using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Runtime;
using PatchGen.SourcePatching;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests.Apps;

/// <summary>
/// The kpatch-build flow on a real service: testdata/apps/ShopService is built as it is (the
/// production build, made patchable) and with each fix of its fixes/ folder applied, with real
/// <c>dotnet build</c>s, and each patch is built from them and applied to the production build
/// running in this process. The service answers its demo requests as v1 before, as the fixed build
/// does (run on its own, in a separate load context) while the patch is enabled, and as v1 again
/// once it is disabled.
/// </summary>
public sealed class ShopServiceFixTests : IClassFixture<ShopServiceFixTests.Production>
{
    private readonly Production _production;

    public ShopServiceFixTests(Production production)
    {
        _production = production;
    }

    public static TheoryData<string> PatchableFixes() => new() { "discount-rounding", "inventory-last-unit", "tax-reduced-rate", "bulk-threshold", "merge-duplicate-lines" };

    [Theory]
    [MemberData(nameof(PatchableFixes))]
    public void FixIsBuiltFromItsDiffAndAppliedToTheRunningService(string fix)
    {
        var patchPath = Path.Combine(_production.Builder.WorkDirectory, "patches", fix + ".dll");
        var patch = BuildPatch(fix, patchPath, "shop-" + fix, out var fixedBuild);
        Assert.True(patch.ExitCode == 0, string.Join("\n", patch.Diagnostics));

        var fixedAnswers = Answers.Isolated(fixedBuild.AssemblyPath);
        Assert.NotEqual(_production.V1Answers, fixedAnswers); // the demo requests show the bug
        Assert.Equal(_production.V1Answers, Answers.Of(_production.Service));

        var info = PatchRuntime.Enable(patchPath);
        try
        {
            Transitions.Complete();
            Assert.Equal(fixedAnswers, Answers.Of(_production.Service));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
        }
        Assert.Equal(_production.V1Answers, Answers.Of(_production.Service));
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void FixThatAddsAFieldIsRefusedAndWritesNothing()
    {
        var patchPath = Path.Combine(_production.Builder.WorkDirectory, "patches", "idempotent-orders.dll");
        var patch = BuildPatch("idempotent-orders", patchPath, patchId: null, out _);
        Assert.Equal(1, patch.ExitCode);
        Assert.Contains(patch.Diagnostics, d => d.Id == "PG2001");
        Assert.False(File.Exists(patchPath));
    }

    /// <summary>
    /// The kpatch-build flow as <c>patchgen build --project --diff</c> runs it (the CLI's
    /// <c>ProjectPatchBuild</c>, tested through the CLI in BuildCommandTests): the project rebuilt with the
    /// fix applied, and the patch built against the production fixture's patchable base. Written out here
    /// rather than referencing the CLI, whose System.CommandLine would then be the one loaded in this
    /// process and not the instrumented copy RealLibraryPatchTests patches.
    /// </summary>
    private PatchBuildResult BuildPatch(string fix, string patchPath, string? patchId, out ProjectBuild fixedBuild)
    {
        (_, fixedBuild) = _production.Builder.Build(FixPath(fix));
        var options = new PatchBuildOptions(_production.PatchableBase, fixedBuild.AssemblyPath, patchPath);
        return PatchBuilder.Build(patchId is null ? options : options with { PatchId = patchId });
    }

    private static string FixPath(string fix) => Path.Combine(Production.AppDirectory, "fixes", fix + ".patch");

    /// <summary>The production build, rebuilt from source and made patchable once, loaded into this process.</summary>
    public sealed class Production : IDisposable
    {
        public static readonly string AppDirectory = Path.Combine(Repository.TestData, "apps", "ShopService");

        public Production()
        {
            Builder = new ProjectPatchBuilder(AppDirectory);
            var baseBuild = Builder.BuildBase();
            V1Answers = Answers.Isolated(baseBuild.AssemblyPath);
            PatchableBase = Path.Combine(Builder.WorkDirectory, "patchable", Path.GetFileName(baseBuild.AssemblyPath));
            PatchGen.Instrumentation.AssemblyInstrumenter.Instrument(baseBuild.AssemblyPath, PatchableBase, new PatchGen.Instrumentation.InstrumentOptions { CopyRuntime = false });
            Service = AssemblyLoadContext.Default.LoadFromAssemblyPath(PatchableBase);
        }

        public ProjectPatchBuilder Builder { get; }

        public string PatchableBase { get; }

        public Assembly Service { get; }

        public string V1Answers { get; }

        public void Dispose() => Builder.Dispose();
    }

    /// <summary>The service's answers to its demo requests, from a fresh handler (fresh stock, fresh stats).</summary>
    private static class Answers
    {
        public static string Of(Assembly service)
        {
            var handlerType = service.GetType("ShopService.Server.RequestHandler", throwOnError: true)!;
            var handler = handlerType.GetMethod("CreateDefault")!.Invoke(null, null)!;
            var handle = handlerType.GetMethod("Handle", new[] { typeof(string) })!;
            var requests = (string[])service.GetType("ShopService.Program", throwOnError: true)!.GetField("DemoRequests")!.GetValue(null)!;
            return string.Join("\n", requests.Select(r => r + " -> " + (string)handle.Invoke(handler, new object[] { r })!));
        }

        /// <summary>The answers of a plain build, loaded from bytes into a throw-away context.</summary>
        public static string Isolated(string assemblyPath)
        {
            var context = new AssemblyLoadContext("shop " + assemblyPath, isCollectible: true);
            try
            {
                using var stream = new MemoryStream(File.ReadAllBytes(assemblyPath));
                return Of(context.LoadFromStream(stream));
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
