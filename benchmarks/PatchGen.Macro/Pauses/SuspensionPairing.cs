namespace PatchGen.Macro.Pauses;

/// <summary>
/// Turns the suspension events of one process into pauses. The runtime suspends for one reason at a time (the
/// suspending thread holds the thread store lock from SuspendEE to RestartEE), so in time order the events of a
/// pause are SuspendBegin, SuspendEnd, (GCStart,) RestartBegin, RestartEnd, never interleaved with another pause's.
/// A pause whose events are not all there (the session started or stopped in the middle of it, or dropped
/// events) is left out: counted as incomplete when its beginning was seen, as stray events otherwise.
/// </summary>
internal static class SuspensionPairing
{
    public sealed record Result(IReadOnlyList<RuntimePause> Pauses, int Incomplete, int StrayEvents);

    public static Result Pair(IEnumerable<SuspensionEvent> events)
    {
        // Stable sort: events of one timestamp keep the order they were written in.
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.TimeMs).ThenBy(x => x.i).Select(x => x.e);
        var pauses = new List<RuntimePause>();
        int incomplete = 0, stray = 0;
        SuspensionEvent? begin = null;
        double? suspended = null;
        SuspensionEvent? gc = null;
        bool restarting = false;
        foreach (var e in ordered)
        {
            switch (e.Kind)
            {
                case SuspensionEventKind.SuspendBegin:
                    if (begin is not null)
                        incomplete++;
                    (begin, suspended, gc, restarting) = (e, null, null, false);
                    break;
                case SuspensionEventKind.SuspendEnd when begin is not null && suspended is null && !restarting:
                    suspended = e.TimeMs;
                    break;
                case SuspensionEventKind.GCStart when begin is not null && !restarting:
                    gc = e;
                    break;
                case SuspensionEventKind.RestartBegin when begin is not null && suspended is not null:
                    restarting = true;
                    break;
                case SuspensionEventKind.RestartEnd when begin is not null && restarting:
                    var b = begin.Value;
                    pauses.Add(new RuntimePause(b.TimeMs, e.TimeMs, suspended!.Value - b.TimeMs, b.Reason, gc?.Reason, gc?.Generation, b.ThreadId));
                    (begin, suspended, gc, restarting) = (null, null, null, false);
                    break;
                case SuspensionEventKind.GCStart:
                    // A GC outside any suspension we saw begin: nothing to attach it to.
                    break;
                default:
                    // An end or restart without its beginning (the session started mid-pause), or out of order.
                    if (begin is null)
                        stray++;
                    else
                        incomplete++;
                    (begin, suspended, gc, restarting) = (null, null, null, false);
                    break;
            }
        }
        if (begin is not null)
            incomplete++;
        return new Result(pauses, incomplete, stray);
    }
}
