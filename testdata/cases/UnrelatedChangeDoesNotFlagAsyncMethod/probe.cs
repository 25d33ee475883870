// PullAsync returns Next(): the version goes up by 1 per pull in v1, by 2 in v2.
using System.Threading;

public static class Probe
{
    public static string Run()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var sync = new Cases.Sync();
            int first = sync.PullAsync().GetAwaiter().GetResult();
            int second = sync.PullAsync().GetAwaiter().GetResult();
            return first + "," + second;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
