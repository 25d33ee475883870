// Console output of the program's entry point: v2 adds " (fixed)".
// The case assembly is loaded by name (the probe's own name minus ".Probe").
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

public static class Probe
{
    public static string Run()
    {
        var program = CaseAssembly();
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

    // The case assembly, named like the probe without ".Probe": the one loaded beside the probe, else loaded by name.
    private static Assembly CaseAssembly()
    {
        var probeName = typeof(Probe).Assembly.GetName().Name!;
        var name = probeName.Substring(0, probeName.Length - ".Probe".Length);
        return AssemblyLoadContext.GetLoadContext(typeof(Probe).Assembly)?.Assemblies.FirstOrDefault(a => a.GetName().Name == name)
            ?? Assembly.Load(new AssemblyName(name));
    }
}
