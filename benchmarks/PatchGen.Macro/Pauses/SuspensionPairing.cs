namespace PatchGen.Macro.Pauses;

/// <summary>
/// Turns the suspension events of one process into pauses. The thread that suspends the runtime writes all four
/// events of its pause (SuspendEE and RestartEE are called by it), so they are paired per thread, in time order:
/// SuspendBegin, SuspendEnd, (GCStart,) RestartBegin, RestartEnd. Pauses of different threads can overlap in
/// the trace: the next suspender writes its SuspendBegin before it waits for the thread store lock, and the
/// previous one writes its RestartEnd after it released it (seen between a GC and a sample pass), so a pause's
/// span can include a wait while the threads were already resuming; it is counted whole (the longer reading).
/// A GCStart goes to the suspension open on its own thread (workstation GC), else to the only open GC suspension.
/// A pause whose events are not all there (the session started or stopped in the middle of it, or dropped events)
/// is left out: counted as incomplete when its beginning was seen, as stray events otherwise.
/// </summary>
internal static class SuspensionPairing
{
    public sealed record Result(IReadOnlyList<RuntimePause> Pauses, int Incomplete, int StrayEvents);

    private sealed class Open(SuspensionEvent begin)
    {
        public SuspensionEvent Begin { get; } = begin;

        public double? SuspendedAt { get; set; }

        public SuspensionEvent? GC { get; set; }

        public bool Restarting { get; set; }
    }

    public static Result Pair(IEnumerable<SuspensionEvent> events)
    {
        // Stable sort: events of one timestamp keep the order they were written in.
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.TimeMs).ThenBy(x => x.i).Select(x => x.e);
        var pauses = new List<RuntimePause>();
        var open = new Dictionary<int, Open>();
        int incomplete = 0, stray = 0;
        foreach (var e in ordered)
        {
            open.TryGetValue(e.ThreadId, out var current);
            switch (e.Kind)
            {
                case SuspensionEventKind.SuspendBegin:
                    if (current is not null)
                        incomplete++;
                    open[e.ThreadId] = new Open(e);
                    break;
                case SuspensionEventKind.SuspendEnd when current is { SuspendedAt: null, Restarting: false }:
                    current.SuspendedAt = e.TimeMs;
                    break;
                case SuspensionEventKind.GCStart:
                    var target = current is { Restarting: false } ? current : SingleOpenGC(open.Values);
                    if (target is not null)
                        target.GC = e;
                    break;
                case SuspensionEventKind.RestartBegin when current is { SuspendedAt: not null, Restarting: false }:
                    current.Restarting = true;
                    break;
                case SuspensionEventKind.RestartEnd when current is { Restarting: true }:
                    var b = current.Begin;
                    pauses.Add(new RuntimePause(b.TimeMs, e.TimeMs, current.SuspendedAt!.Value - b.TimeMs, b.Reason, current.GC?.Reason, current.GC?.Generation, b.ThreadId));
                    open.Remove(e.ThreadId);
                    break;
                default:
                    // An end or restart without its beginning (the session started mid-pause), or out of order.
                    if (current is null)
                        stray++;
                    else
                        incomplete++;
                    open.Remove(e.ThreadId);
                    break;
            }
        }
        incomplete += open.Count;
        return new Result(pauses, incomplete, stray);
    }

    private static Open? SingleOpenGC(IEnumerable<Open> open)
    {
        var gcs = open.Where(o => !o.Restarting && o.Begin.Reason is RuntimePause.SuspendForGC or RuntimePause.SuspendForGCPrep).Take(2).ToList();
        return gcs.Count == 1 ? gcs[0] : null;
    }
}
