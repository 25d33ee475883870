// Whether Increment waits while another thread holds the lock on the counter object itself:
// v1 locks this (it waits until the lock is released), v2 locks a private gate (it does not wait).
using System.Threading;

public static class Probe
{
    public static string Run()
    {
        var counter = new Cases.Counter();
        int first = counter.Increment();
        int second = 0;
        var worker = new Thread(() => second = counter.Increment()) { IsBackground = true };
        bool waited;
        Monitor.Enter(counter);
        try
        {
            worker.Start();
            waited = WaitsForLock(worker);
        }
        finally
        {
            Monitor.Exit(counter);
        }
        worker.Join();
        return "waits while lock(counter) is held: " + waited + "; values " + first + "," + second + "," + counter.Read();
    }

    // True if the thread stays blocked (and alive) for a while, false as soon as it finishes.
    private static bool WaitsForLock(Thread worker)
    {
        int blockedPolls = 0;
        for (int i = 0; i < 6000; i++)
        {
            if (worker.Join(5))
                return false;
            if ((worker.ThreadState & ThreadState.WaitSleepJoin) != 0)
            {
                if (++blockedPolls >= 40)
                    return true;
            }
            else
            {
                blockedPolls = 0;
            }
        }
        return !worker.Join(0);
    }
}
