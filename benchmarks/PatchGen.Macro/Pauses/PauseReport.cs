using System.Globalization;

namespace PatchGen.Macro.Pauses;

/// <summary>
/// The pauses of one child run, by kind and by when they happened: during a transition (from the operation's
/// beginning to <see cref="TransitionTailMs"/> after <c>WaitForTransition</c> returned, since a snapshot's sampling
/// session may still be stopping then), during an unload (whose <c>GC.Collect</c> is the harness's own), or
/// outside (the quiet gaps between operations: the workload's own GCs and tiering).
/// </summary>
internal sealed class PauseReport
{
    /// <summary>
    /// How long after a transition its sampler may still suspend: through the diagnostic server, the session is
    /// stopped in the background after the pass is read, which takes the streaming thread's 100 ms sleep.
    /// </summary>
    public const double TransitionTailMs = 300;

    private readonly List<(double Start, double End, bool Transition)> _windows = [];
    private readonly double _first, _last;

    public PauseReport(string way, SuspensionPairing.Result paired, IReadOnlyList<PatchOperationMark> marks, int eventsLost)
    {
        Way = way;
        Paired = paired;
        EventsLost = eventsLost;
        foreach (var began in marks.Where(m => m.Began && m.Cycle >= 0))
        {
            var ended = marks.FirstOrDefault(m => !m.Began && m.Operation == began.Operation && m.Cycle == began.Cycle);
            if (ended == default)
                continue;
            bool transition = began.Operation != "unload";
            _windows.Add((began.TimeMs, ended.TimeMs + (transition ? TransitionTailMs : 0), transition));
            Transitions += transition ? 1 : 0;
        }
        _first = marks.Count == 0 ? 0 : marks.Min(m => m.TimeMs) - PausesChild.Gap.TotalMilliseconds;
        _last = marks.Count == 0 ? 0 : marks.Max(m => m.TimeMs) + PausesChild.Gap.TotalMilliseconds;
    }

    public string Way { get; }

    public SuspensionPairing.Result Paired { get; }

    public int EventsLost { get; }

    public int Transitions { get; }

    /// <summary>transition, unload or outside (null: before or after the measured cycles).</summary>
    private string? When(RuntimePause pause)
    {
        if (pause.StartMs < _first || pause.StartMs > _last)
            return null;
        foreach (var (start, end, transition) in _windows)
        {
            if (pause.StartMs >= start && pause.StartMs <= end)
                return transition ? "transition" : "unload";
        }
        return "outside";
    }

    public void Write(TextWriter output)
    {
        var measured = Paired.Pauses.Select(p => (Pause: p, When: When(p))).Where(x => x.When is not null).ToList();
        output.WriteLine($"Way `{Way}`: {Transitions} transitions, {measured.Count} pauses in the measured span ({Paired.Incomplete} incomplete, {Paired.StrayEvents} stray events, {EventsLost} events lost).");
        output.WriteLine();
        output.WriteLine("| pauses | when | count | median | p99 | max | suspending part, median / max |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        Row(output, "GC (allocation)", "during transitions", measured.Where(x => x.Pause.IsGC && x.Pause.GCReason != RuntimePause.GCReasonInduced && x.When == "transition"));
        Row(output, "GC (allocation)", "outside", measured.Where(x => x.Pause.IsGC && x.Pause.GCReason != RuntimePause.GCReasonInduced && x.When == "outside"));
        Row(output, "GC (induced: the unloads' GC.Collect)", "any", measured.Where(x => x.Pause.IsGC && x.Pause.GCReason == RuntimePause.GCReasonInduced));
        Row(output, "SUSPEND_OTHER (sampler)", "during transitions", measured.Where(x => x.Pause.IsOther && x.When == "transition"));
        Row(output, "SUSPEND_OTHER (not the sampler)", "outside", measured.Where(x => x.Pause.IsOther && x.When == "outside"));
        Row(output, "SUSPEND_OTHER", "during unloads", measured.Where(x => x.Pause.IsOther && x.When == "unload"));
        foreach (var reason in measured.Where(x => !x.Pause.IsGC && !x.Pause.IsOther).Select(x => x.Pause.SuspendReason).Distinct().Order())
            Row(output, ReasonName(reason), "any", measured.Where(x => x.Pause.SuspendReason == reason));
        output.WriteLine();

        var perTransition = _windows.Where(w => w.Transition).Select(w =>
        {
            var sampler = measured.Where(x => x.Pause.IsOther && x.Pause.StartMs >= w.Start && x.Pause.StartMs <= w.End).Select(x => x.Pause).ToList();
            return (Count: (double)sampler.Count, TotalMs: sampler.Sum(p => p.DurationMs), LastAfterEndMs: sampler.Count == 0 ? 0 : sampler.Max(p => p.StartMs) - (w.End - TransitionTailMs));
        }).ToList();
        if (perTransition.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SUSPEND_OTHER suspensions per transition: median {Statistics.Median(perTransition.Select(t => t.Count)):0}, min {perTransition.Min(t => t.Count):0}, max {perTransition.Max(t => t.Count):0}; their summed pause per transition: median {Statistics.Median(perTransition.Select(t => t.TotalMs)):0.0} ms, max {perTransition.Max(t => t.TotalMs):0.0} ms; the latest began {perTransition.Max(t => t.LastAfterEndMs):0} ms after WaitForTransition returned (window tail {TransitionTailMs:0} ms)."));
            output.WriteLine();
        }
    }

    private static void Row(TextWriter output, string kind, string when, IEnumerable<(RuntimePause Pause, string? When)> selected)
    {
        var pauses = selected.Select(x => x.Pause).ToList();
        if (pauses.Count == 0)
        {
            output.WriteLine($"| {kind} | {when} | 0 | – | – | – | – |");
            return;
        }
        var d = pauses.Select(p => p.DurationMs).ToList();
        var s = pauses.Select(p => p.SuspendedMs).ToList();
        output.WriteLine($"| {kind} | {when} | {pauses.Count} | {Ms(Statistics.Median(d))} | {Ms(Statistics.Quantile(d, 0.99))} | {Ms(d.Max())} | {Ms(Statistics.Median(s))} / {Ms(s.Max())} |");
    }

    private static string ReasonName(int reason) => reason switch
    {
        // LoaderAllocator destruction uses it: a collectible load context (a patch's, unloaded) being freed.
        RuntimePause.SuspendForAppDomainShutdown => "reason 2 (collectible load context freed: the unloads)",
        _ => $"reason {reason}",
    };

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
