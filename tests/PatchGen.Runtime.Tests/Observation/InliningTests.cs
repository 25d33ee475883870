using System.Reflection;
using System.Runtime.CompilerServices;
using PatchGen.Runtime.Observation;
using Xunit.Abstractions;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// What the JIT inlined into which code version, from the live session's JitTracing events.
/// </summary>
[Collection(ObservationCollection.Name)]
public sealed class InliningTests(ObservationFixture fixture, ITestOutputHelper output)
{
    private const BindingFlags Static = BindingFlags.NonPublic | BindingFlags.Static;

    [Fact]
    public void AnAggressivelyInlinedCalleeIsRecordedInItsOptimizedCaller()
    {
        Assert.Equal(45, OptimizedCaller(4));
        fixture.Sync();

        MethodInfo caller = typeof(InliningTests).GetMethod(nameof(OptimizedCaller), Static)!;
        MethodInfo inlined = typeof(InliningTests).GetMethod(nameof(InlinedCallee), Static)!;
        MethodInfo notInlined = typeof(InliningTests).GetMethod(nameof(NotInlinedCallee), Static)!;

        MethodCodeInfo code = fixture.Map.GetMethodCode(caller);
        CodeVersion version = Assert.Single(code.Versions);
        Assert.Equal(CodeTier.Optimized, version.Tier);
        Assert.True(code.InliningComplete);
        output.WriteLine(string.Join("\n", code.Inlinees));
        Assert.Contains(code.Inlinees, name => MethodNameMatcher.Matches(name, inlined));
        Assert.DoesNotContain(code.Inlinees, name => MethodNameMatcher.Matches(name, notInlined));

        InlinerQuery inliners = fixture.Map.FindInliners(inlined);
        Assert.Contains(version, inliners.Inliners);
        Assert.DoesNotContain(version, fixture.Map.FindInliners(notInlined).Inliners);

        // The matcher finds the inlinee back from the event's name.
        EventMethodName eventName = code.Inlinees.First(name => MethodNameMatcher.Matches(name, inlined));
        Assert.Contains(inlined, MethodNameMatcher.FindCandidates(eventName));
    }

    [Fact]
    public void AGuardedDevirtualizationInlineIsRecordedAfterTierUp()
    {
        // Dynamic PGO: tier 0 instrumented code sees that the interface call always lands on Square,
        // and tier 1 guards the call with a type check and inlines Square.Area. Tier-up waits for a
        // quiet period in the JIT (which other tests running in parallel can keep away for seconds), so keep
        // calling until a tier 1 body appears (bounded).
        MethodInfo caller = typeof(InliningTests).GetMethod(nameof(CallArea), Static)!;
        MethodInfo area = typeof(Square).GetMethod(nameof(Square.Area))!;
        IShape shape = new Square(3);
        CodeVersion? tier1 = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (tier1 is null && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            for (int i = 0; i < 200; i++)
            {
                Assert.Equal(9, CallArea(shape));
            }

            Thread.Sleep(100);
            fixture.Sync();
            tier1 = fixture.Map.GetMethodCode(caller).Versions.FirstOrDefault(v => v.Tier == CodeTier.Tier1);
        }

        MethodCodeInfo code = fixture.Map.GetMethodCode(caller);
        output.WriteLine(string.Join("\n", code.Versions.Select(v => $"{v} inlinees: {(v.Inlinees is null ? "unknown" : string.Join(", ", v.Inlinees))}")));
        if (!RuntimeTieringEnabled())
        {
            return;
        }

        Assert.NotNull(tier1);
        Assert.True(tier1!.InliningKnown);
        Assert.Contains(tier1.Inlinees!, name => MethodNameMatcher.Matches(name, area));
        Assert.Contains(code.Versions, v => v.Tier is CodeTier.Tier0 or CodeTier.Tier0Instrumented && v.Inlinees is { Count: 0 });
    }

    private static bool RuntimeTieringEnabled() =>
        Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0" && Environment.GetEnvironmentVariable("DOTNET_TieredPGO") != "0";

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int OptimizedCaller(int x) => InlinedCallee(x) + NotInlinedCallee(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InlinedCallee(int x) => (x * x) + 3;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int NotInlinedCallee(int x) => (x * 6) + 2;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CallArea(IShape shape) => shape.Area();

    internal interface IShape
    {
        int Area();
    }

    internal sealed class Square(int side) : IShape
    {
        public int Area() => side * side;
    }
}
