// The job Every adds returns total + 1 (seconds * times) in v1, budget + 1 (seconds + times) in v2;
// its jobs are read back through the private list.
public static class Probe
{
    public static string Run()
    {
        var scheduler = new Cases.Scheduler();
        scheduler.Every(3, 4);
        var jobs = (System.Collections.Generic.List<System.Func<int>>)typeof(Cases.Scheduler)
            .GetField("_jobs", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(scheduler)!;
        return jobs[0]().ToString();
    }
}
