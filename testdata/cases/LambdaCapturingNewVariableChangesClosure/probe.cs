// Runs the jobs Every() registered (private _jobs, reflection) and captures their console output: v2 appends
// " since <start time>" (the time itself is replaced by a placeholder to stay deterministic).
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var scheduler = new Cases.Scheduler();
        scheduler.Every("backup", 60);
        scheduler.Every("ping", 5);
        var jobs = (List<Action>)typeof(Cases.Scheduler).GetField("_jobs", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(scheduler)!;
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            foreach (var job in jobs)
                job();
        }
        finally
        {
            Console.SetOut(original);
        }
        var lines = new List<string>();
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var text = line.TrimEnd('\r');
            int since = text.IndexOf(" since ", StringComparison.Ordinal);
            lines.Add(since < 0 ? text : text.Substring(0, since) + " since <time>");
        }
        return string.Join(" | ", lines);
    }
}
