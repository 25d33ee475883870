// Console output of the program's entry point: its local function Shout appends "!" in v2.
// The program has no public type: the case assembly is loaded by name (the probe's own name minus ".Probe").
using System;
using System.IO;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var probeName = typeof(Probe).Assembly.GetName().Name!;
        var program = Assembly.Load(new AssemblyName(probeName.Substring(0, probeName.Length - ".Probe".Length)));
        var previous = Console.Out;
        var output = new StringWriter { NewLine = "\n" };
        Console.SetOut(output);
        try
        {
            program.EntryPoint!.Invoke(null, new object[] { new[] { "a", "bee", "cat", "do" } });
        }
        finally
        {
            Console.SetOut(previous);
        }
        return output.ToString().Replace("\n", "\\n");
    }
}
