// The actions Watch registers in the private _actions list, run with console output captured:
// v1 registers only the poll action, v2 a start action before it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var poller = new Cases.Poller();
        poller.Watch("/var/in", 5);
        var actions = (List<Action>)typeof(Cases.Poller).GetField("_actions", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(poller)!;
        var previous = Console.Out;
        var output = new StringWriter { NewLine = "\n" };
        Console.SetOut(output);
        try
        {
            foreach (var action in actions)
                action();
        }
        finally
        {
            Console.SetOut(previous);
        }
        return actions.Count + " actions: " + output.ToString().Replace("\n", "\\n");
    }
}
