using PatchGen.Runtime.PatchDirectory;

namespace PatchGen.Runtime.Tests.PatchDirectory;

/// <summary>
/// The order rules of docs/patch-directory.md, as the planner applies them to one assembly's stack:
/// only patches that share a method (or a cumulative one) are ever restacked, a new cumulative patch is
/// enabled first and alone (atomic replace) unless its ID is still taken, and disables go top first.
/// </summary>
public sealed class TargetPlanTests
{
    private static readonly PatchFile Fix = File("10-fix.dll", "fix", "M:S.Answer", "M:S.Part");
    private static readonly PatchFile Extra = File("20-extra.dll", "extra", "M:S.Extra");
    private static readonly PatchFile Early = File("05-early.dll", "early", "M:S.Extra");
    private static readonly PatchFile EarlyOverlapping = File("05-early.dll", "early", "M:S.Part");
    private static readonly PatchFile FixCumulative = File("30-fix.dll", "fix-3", true, "M:S.Answer");

    [Fact]
    public void APatchAddedBelowAnotherIsStackedOnTopWhenTheyShareNoMethod()
        => Assert.Equal(new PlanStep.Enable(Early), TargetPlan.Next(new[] { Fix }, new[] { Early, Fix }, NoneLoaded));

    [Fact]
    public void APatchAddedBelowOneItSharesAMethodWithGoesInItsPlace()
    {
        Assert.Equal(new PlanStep.Disable(Fix), TargetPlan.Next(new[] { Fix }, new[] { EarlyOverlapping, Fix }, NoneLoaded));
        Assert.Equal(new PlanStep.Enable(EarlyOverlapping), TargetPlan.Next(Array.Empty<PatchFile>(), new[] { EarlyOverlapping, Fix }, NoneLoaded));
        Assert.Equal(new PlanStep.Enable(Fix), TargetPlan.Next(new[] { EarlyOverlapping }, new[] { EarlyOverlapping, Fix }, NoneLoaded));
        Assert.Null(TargetPlan.Next(new[] { EarlyOverlapping, Fix }, new[] { EarlyOverlapping, Fix }, NoneLoaded));
    }

    [Fact]
    public void RemovingAPatchBelowOthersDisablesOnlyTheOnesAboveThatShareItsMethodsTopFirst()
    {
        Assert.Equal(new PlanStep.Disable(Early), TargetPlan.Next(new[] { Early, Fix }, new[] { Fix }, NoneLoaded));
        Assert.Equal(new PlanStep.Disable(Fix), TargetPlan.Next(new[] { EarlyOverlapping, Fix, Extra }, new[] { Fix, Extra }, NoneLoaded));
    }

    [Fact]
    public void ANewCumulativePatchReplacesTheStackInOneStepUnlessItsIdIsStillTaken()
    {
        Assert.Equal(new PlanStep.Enable(FixCumulative), TargetPlan.Next(new[] { Fix, Extra }, new[] { FixCumulative }, NoneLoaded));
        var sameId = File("30-fix.dll", "fix", true, "M:S.Answer");
        Assert.Equal(new PlanStep.Disable(Extra), TargetPlan.Next(new[] { Fix, Extra }, new[] { sameId }, id => id == "fix"));
    }

    private static bool NoneLoaded(string id) => false;

    private static PatchFile File(string name, string id, params string[] replaces) => File(name, id, false, replaces);

    private static PatchFile File(string name, string id, bool cumulative, params string[] replaces)
        => new(new PatchIdentity(name, id.PadRight(12, '0')), "/patches/" + name, Array.Empty<byte>(),
            new PatchHeader(id, "S", Guid.Empty.ToString(), cumulative, replaces.ToHashSet(StringComparer.Ordinal)));
}
