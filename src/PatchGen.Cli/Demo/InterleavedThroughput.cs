using System.Diagnostics;

namespace PatchGen.Cli.Demo;

/// <summary>
/// The demo's throughput comparison: two services (the plain build and the patchable one) under the same load, one at a
/// time, in short alternating windows, so that what the shared machine does meanwhile falls on both alike. Measured one
/// after the other, a few seconds each, the same two builds differed by anything from −5 to −27 % in three runs of one
/// hour; interleaved benchmarks (docs/benchmarks.md) put them within a few percent. The figure is the median of the
/// per-round ratios; the rates are each side's answers over its own measured time.
/// </summary>
internal static class InterleavedThroughput
{
    public const int Rounds = 6;
    private static readonly TimeSpan WindowLength = TimeSpan.FromMilliseconds(500);

    // On a machine loaded many times over (a CI host running test processes side by side) a fresh service can take
    // seconds to answer its first request: each window lasts until it counted enough answers to mean something.
    private const long FewestAnswers = 50;
    private static readonly TimeSpan LongestWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstAnswerTimeout = TimeSpan.FromSeconds(60);

    internal sealed record Result(double BaselineRate, double OtherRate, double MedianRatio);

    /// <summary>
    /// Warms each side alone for <paramref name="warmup"/> (tiered compilation settles), then runs <see cref="Rounds"/>
    /// rounds of one window each, in the order ABBA, BAAB, ... (a drift within a round falls on both). Leaves
    /// <paramref name="other"/> running and <paramref name="baseline"/> paused.
    /// </summary>
    public static Result Measure(LoadGenerator baseline, LoadGenerator other, TimeSpan warmup)
    {
        Warm(baseline, other, warmup);
        Warm(other, baseline, warmup);
        long baselineAnswers = 0, otherAnswers = 0;
        double baselineSeconds = 0, otherSeconds = 0;
        var ratios = new List<double>();
        for (int round = 0; round < Rounds; round++)
        {
            double baselineRate, otherRate;
            if (round % 2 == 0)
            {
                baselineRate = Window(baseline, other, ref baselineAnswers, ref baselineSeconds);
                otherRate = Window(other, baseline, ref otherAnswers, ref otherSeconds);
            }
            else
            {
                otherRate = Window(other, baseline, ref otherAnswers, ref otherSeconds);
                baselineRate = Window(baseline, other, ref baselineAnswers, ref baselineSeconds);
            }
            if (baselineRate > 0)
                ratios.Add(otherRate / baselineRate);
        }
        other.Resume();
        baseline.Pause();
        ratios.Sort();
        double median = ratios.Count == 0 ? double.NaN
            : ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
        return new Result(baselineSeconds > 0 ? baselineAnswers / baselineSeconds : 0, otherSeconds > 0 ? otherAnswers / otherSeconds : 0, median);
    }

    private static void Warm(LoadGenerator running, LoadGenerator paused, TimeSpan warmup)
    {
        paused.Pause();
        running.Resume();
        var starting = Stopwatch.StartNew();
        long before = running.Total;
        while (running.Total == before && starting.Elapsed < FirstAnswerTimeout)
            Thread.Sleep(50);
        Thread.Sleep(warmup);
    }

    /// <summary>One window of <paramref name="running"/> alone; adds its answers and time to the totals; returns its rate.</summary>
    private static double Window(LoadGenerator running, LoadGenerator paused, ref long answers, ref double seconds)
    {
        paused.Pause();
        running.Resume();
        // The paused side's requests in flight finish within a moment; the window starts after it.
        Thread.Sleep(20);
        long before = running.Total;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(WindowLength);
        while (running.Total - before < FewestAnswers && clock.Elapsed < LongestWindow)
            Thread.Sleep(20);
        long counted = running.Total - before;
        double elapsed = clock.Elapsed.TotalSeconds;
        answers += counted;
        seconds += elapsed;
        return counted / elapsed;
    }
}
