using System.Globalization;
using PatchGen.Macro;
using PatchGen.Macro.InProcess;

// The macro benchmark harness of patchable builds (benchmarks/RESULTS.md). Commands:
//   libs   Newtonsoft.Json, Markdig, ShopService in process: plain #1, plain #2 (A/A), instrumented (+ patched)
//   web    an ASP.NET Core app as three server processes under HTTP load: plain, plain copy (A/A), instrumented
//   jit    one process per build with the JIT's method summary: what got its own Tier1 code, IL size buckets
//   stack  recursion depth on a 1 MiB thread, plain vs instrumented, first calls and after tier-up
//   all    all of the above
// Options: --quick (smoke test), --seed N, --only a,b, --rounds N, --connections N, --fix NAME, --work DIR, --keep.
HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("usage: PatchGen.Macro libs|web|jit|stack|all [--quick] [--seed N] [--only a,b] [--rounds N] [--connections N] [--fix NAME] [--work DIR] [--keep]");
    Console.Error.WriteLine(e.Message);
    return 2;
}

var output = Console.Out;
var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "patchgen-macro", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
try
{
    switch (options.Command)
    {
        case "libs":
            MachineDescription.Print(output);
            return InProcessBenchmark.Run(options, work, output);
        case "web":
            MachineDescription.Print(output);
            return await PatchGen.Macro.Web.WebBenchmark.RunAsync(options, work, output);
        case "jit":
            MachineDescription.Print(output);
            return PatchGen.Macro.Jit.JitComparison.Run(options, work, output);
        case "jit-child":
            return PatchGen.Macro.Jit.JitChild.Run(options.Rest);
        case "stack":
            MachineDescription.Print(output);
            return PatchGen.Macro.Stack.StackDepthMeasurement.Run(options, work, output);
        case "stack-child":
            return PatchGen.Macro.Stack.StackChild.Run(options.Rest);
        default:
            Console.Error.WriteLine("unknown command " + options.Command);
            return 2;
    }
}
finally
{
    if (!options.Keep && options.WorkDirectory is null)
    {
        try { Directory.Delete(work, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
