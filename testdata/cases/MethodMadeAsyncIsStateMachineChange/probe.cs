// Whether GetAsync's task is already completed when it returns: v1 returns Task.FromResult (completed),
// v2 is async and yields first (pending until the posted continuation runs); the result is "empty" in both.
using System.Collections.Generic;
using System.Threading;

public static class Probe
{
    public static string Run()
    {
        var previous = SynchronizationContext.Current;
        var context = new QueueContext();
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            var task = new Cases.Cache().GetAsync();
            bool completedOnReturn = task.IsCompleted;
            int posted = 0;
            while (!task.IsCompleted && context.TryRunOne())
                posted++;
            return "completed on return: " + completedOnReturn + "; continuations run: " + (posted > 0)
                + "; result: " + (task.IsCompleted ? task.GetAwaiter().GetResult() : "<pending>");
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    // Queues posted continuations so that they run only when the probe pumps them, on its own thread.
    private sealed class QueueContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_queue)
                _queue.Enqueue((d, state));
        }

        public bool TryRunOne()
        {
            (SendOrPostCallback Callback, object? State) item;
            lock (_queue)
            {
                if (_queue.Count == 0)
                    return false;
                item = _queue.Dequeue();
            }
            item.Callback(item.State);
            return true;
        }
    }
}
