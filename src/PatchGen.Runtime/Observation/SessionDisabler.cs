using System.Collections.Concurrent;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// The thread that disables file sessions for <see cref="InProcessTraceSession.StopWhileReading"/>, one at a time,
/// while their traces are read on the threads that asked.
/// <para>
/// Why one thread that lives on, rather than a new one per snapshot (a long-running task, before): the disabling
/// thread is on every snapshot's path (the samples are written only once the disable runs), and a thread created for
/// each snapshot added its creation to each, on the busiest machines most. Measured, the difference is within the
/// noise (idle, 0.7–3.8 ms from the end of the sampling to the first sample read either way; with 16 busy threads on
/// 2 cores, 8–130 ms either way: docs/benchmarks.md, "Transitions"); what is certain is one thread fewer per
/// snapshot. Disables are one at a time anyway: EventPipe takes its lock for each, and for the rundown each writes.
/// </para>
/// </summary>
internal static class SessionDisabler
{
    private static readonly BlockingCollection<(ulong SessionId, TaskCompletionSource Done)> Requests = new();
    private static readonly object StartLock = new();
    private static Thread? s_thread;

    /// <summary>Disables the session on the disabling thread; the task completes when the disable has returned.</summary>
    public static Task Disable(ulong sessionId)
    {
        EnsureStarted();
        // Continuations (a session's release of its file) run elsewhere: this thread only disables.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((sessionId, done));
        return done.Task;
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref s_thread) is not null)
            return;
        lock (StartLock)
        {
            if (s_thread is not null)
                return;
            var thread = new Thread(Run) { IsBackground = true, Name = "PatchGen session disabler" };
            thread.Start();
            Volatile.Write(ref s_thread, thread);
        }
    }

    private static void Run()
    {
        foreach (var (sessionId, done) in Requests.GetConsumingEnumerable())
        {
            try
            {
                CoreLibEventPipe.Disable(sessionId);
                done.SetResult();
            }
            catch (Exception e)
            {
                // The reader sees the trace end; whoever waits for the disable sees why.
                done.SetException(e);
            }
        }
    }
}
