using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime;

/// <summary>
/// The background thread that drives one transition (livepatch's <c>klp_transition_work</c>): it
/// switches idle threads and completes the transition, retrying with a short back-off. Busy threads
/// usually switch themselves first, on their next call into a patched function.
/// </summary>
internal sealed class TransitionWorker
{
    private static readonly int[] BackoffMilliseconds = { 0, 1, 1, 2, 5, 10, 20 };
    private readonly Transition _transition;
    private readonly ManualResetEventSlim _done = new(false);
    private volatile bool _stopped;

    public TransitionWorker(Transition transition) => _transition = transition;

    public void Start()
    {
        var thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "PatchGen transition " + _transition.Patch.Id,
        };
        thread.Start();
    }

    /// <summary>Asks the worker to stop (its transition was forced or reversed); it ends at its next pass.</summary>
    public void Stop()
    {
        _stopped = true;
        _done.Set();
    }

    /// <summary>Waits until the worker has ended (transition completed, forced or reversed).</summary>
    public bool Wait(TimeSpan timeout) => _done.Wait(timeout);

    private void Run()
    {
        int pass = 0;
        while (!_stopped)
        {
            if (PatchEngine.TrySwitchThreads(_transition))
                break;
            Thread.Sleep(BackoffMilliseconds[Math.Min(pass++, BackoffMilliseconds.Length - 1)]);
        }
        _done.Set();
    }
}
