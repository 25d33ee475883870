// Console output of the program's entry point: v2 ends the greeting with "!".
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
            program.EntryPoint!.Invoke(null, new object[] { new[] { "probe" } });
            program.EntryPoint!.Invoke(null, new object[] { Array.Empty<string>() });
        }
        finally
        {
            Console.SetOut(previous);
        }
        return output.ToString().Replace("\n", "\\n");
    }
}
