using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// Emitted patches in the life of a service: a patch binds to the exact build it was made for
/// (another build of the same assembly refuses it, PG0005); a second fix ships as a cumulative patch
/// built from the same base, which atomically replaces the first; disabling it reverts to the base.
/// </summary>
public class PatchBindingTests
{
    private const string V1 = "namespace Life; public static class Fees { public static int Fee(int amount) => amount / 10; public static int Cap(int fee) => fee; }";
    private const string V2 = "namespace Life; public static class Fees { public static int Fee(int amount) => Cap(amount / 20); public static int Cap(int fee) => fee; }";
    private const string V3 = "namespace Life; public static class Fees { public static int Fee(int amount) => Cap(amount / 20); public static int Cap(int fee) => fee > 30 ? 30 : fee; }";

    [Fact]
    public void PatchForAnotherBuildOfTheSameAssemblyIsRefused()
    {
        var patch = InlinePatch.Create("binding", V1, V2);
        // Another production build of the same assembly (one more comment: another MVID), with its own patch.
        var work = InlineAssembly.TempDirectory("binding-other");
        var otherPlain = InlineAssembly.Compile(Path.Combine(work, "v1"), "Inline.binding", V1 + "\n// rebuilt\n");
        var otherPatchable = Path.Combine(work, "patchable", "Inline.binding.dll");
        AssemblyInstrumenter.Instrument(otherPlain, otherPatchable, new InstrumentOptions { CopyRuntime = false });
        var otherPatch = Path.Combine(work, "other.dll");
        Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(otherPatchable, patch.Build.Diff.New.Path, otherPatch) { PatchId = "binding-other" }).ExitCode);

        var error = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(otherPatch));
        Assert.Equal(DiagnosticCatalog.PatchForOtherBase.Id, error.DiagnosticId);
        Assert.Equal(10, patch.Call("Life.Fees", "Fee", 100));
    }

    [Fact]
    public void CumulativePatchReplacesTheFirstAndDisablingItRevertsToTheBase()
    {
        var first = InlinePatch.Create("cumulative", V1, V2);
        var (secondPath, second) = first.BuildAnother("cumulative-2", V3, cumulative: true);
        Assert.True(PatchInspector.Inspect(secondPath).Cumulative);
        Assert.Equal(new[] { "M:Life.Fees.Cap(System.Int32)", "M:Life.Fees.Fee(System.Int32)" }, second.Replaced.Select(r => r.DocumentationId));

        Assert.Equal(100, first.Call("Life.Fees", "Fee", 1000));
        var one = PatchRuntime.Enable(first.PatchPath);
        Transitions.Complete();
        Assert.Equal(50, first.Call("Life.Fees", "Fee", 1000));

        var two = PatchRuntime.Enable(secondPath);
        Transitions.Complete();
        Assert.Equal(30, first.Call("Life.Fees", "Fee", 1000));
        Assert.DoesNotContain(PatchRuntime.GetStatus().Patches, p => p.Id == one.Id && p.State == PatchState.Enabled);

        PatchRuntime.Disable(two.Id);
        Transitions.Complete();
        Assert.Equal(100, first.Call("Life.Fees", "Fee", 1000));
    }
}
