using System.Globalization;
using PatchGen.Macro;
using PatchGen.Macro.Cold;
using PatchGen.Macro.InProcess;
using PatchGen.Macro.Jit;
using PatchGen.Macro.Stack;
using PatchGen.Macro.Web;

// The macro benchmark harness of patchable builds (docs/benchmarks.md, "Runtime"). Commands:
//   libs   Newtonsoft.Json, Markdig, ShopService in process: plain #1, plain #2 (A/A), instrumented (+ patched)
//   web    an ASP.NET Core app as four server processes under HTTP load: plain, plain copy (A/A), instrumented, instrumented with a patch applied
//   jit    one process per build with the JIT's method summary and inlining events: Tier1 code, IL sizes, lost inlines, checked inlined copies (--variant: of that build)
//   stack  recursion depth on a 1 MiB thread, plain vs instrumented, first calls and after tier-up
//   cold   cold processes: patchgen diff of the Roslyn pair IL-only vs ReadyToRun vs a floor that only reads it, and --help
//   pauses a child under busy threads enables/disables a patch many times; its runtime suspensions recorded out of process
//   all    all of the above, in that order
// Options: --quick (smoke test), --seed N, --only a,b, --rounds N, --launches N, --connections N, --fix NAME, --work DIR, --keep,
//          --variant NAME (libs: a fourth copy, instrumented otherwise: no-clones, clones, clones-ctors,
//          clones-no-final, clones-no-eh, clones-no-final-eh, clones-192, clones-256, clones-1024,
//          no-outlining, outlined-bodies, outlined-nonvirtual, outlined-forwarded, outlined-aggressive, out-of-line-stubs; docs/benchmarks.md "Inline clones",
//          "Checks left in inlined copies").
//          --threads N (pauses: busy threads), --ways default,server (pauses: one child per PATCHGEN_STACK_SNAPSHOT way).
//          --baseline DIR (cold: another checkout's published tool against this one's, with a copy of it as A/A).
// Benchmark-only: clone-fanin <dll> [baseline dll]  what a patch of each cloned method of an inline-clone build would have to replace.
//                 entry-counts <newtonsoft|markdig> [ops]  method entries per operation of the plain library, by IL size; direct callers of the large ones.
HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("usage: PatchGen.Macro libs|web|jit|stack|cold|pauses|all [--quick] [--seed N] [--only a,b] [--rounds N] [--launches N] [--connections N] [--fix NAME] [--work DIR] [--keep] [--variant NAME] [--threads N] [--ways default,server] [--baseline DIR]");
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Child processes of 'libs', 'jit' and 'stack': one measurement each, no banner.
switch (options.Command)
{
    case "jit-child":
        return JitChild.Run(options.Rest);
    case "jit-dump":
        // One trace's inlining decisions as tab-separated lines, for ad-hoc analysis.
        foreach (var d in InlineDecision.ReadTrace(options.Rest[0]).Decisions)
            Console.WriteLine($"{d.Inliner}\t{d.Inlinee}\t{d.FailReason ?? "inlined"}");
        return 0;
    case "clone-fanin":
        // Benchmark-only: what a patch of a cloned method would have to replace (docs/benchmarks.md, "Inline clones").
        return PatchGen.Macro.Clones.CloneFanIn.Run(options.Rest, Console.Out);
    case "entry-counts":
        // Benchmark-only: how many method entries (each one a slot check when not inlined) an operation makes.
        return EntryCounts.Run(options.Rest, options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "patchgen-macro", "entry-counts"), Console.Out);
    case "stack-child":
        return StackChild.Run(options.Rest);
    case "pauses-child":
        return PatchGen.Macro.Pauses.PausesChild.Run(options);
    case "libs-launch":
        return InProcessLaunch.Run(options, options.WorkDirectory!, options.Rest[0], Console.Out);
}

var sections = new Dictionary<string, Func<HarnessOptions, string, TextWriter, Task<int>>>
{
    ["libs"] = (o, w, t) => Task.FromResult(InProcessBenchmark.Run(o, w, t)),
    ["web"] = WebBenchmark.RunAsync,
    ["jit"] = (o, w, t) => Task.FromResult(JitComparison.Run(o, w, t)),
    ["stack"] = (o, w, t) => Task.FromResult(StackDepthMeasurement.Run(o, w, t)),
    ["cold"] = (o, w, t) => Task.FromResult(ColdStartBenchmark.Run(o, w, t)),
    ["pauses"] = (o, w, t) => Task.FromResult(PatchGen.Macro.Pauses.PauseBenchmark.Run(o, w, t)),
};
var chosen = options.Command == "all" ? sections.Keys.ToList() : sections.ContainsKey(options.Command) ? [options.Command] : [];
if (chosen.Count == 0)
{
    Console.Error.WriteLine("unknown command " + options.Command);
    return 2;
}

var output = Console.Out;
var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "patchgen-macro", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
MachineDescription.Print(output);
int exit = 0;
try
{
    foreach (var name in chosen)
    {
        output.WriteLine($"## {name}");
        output.WriteLine();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        exit = Math.Max(exit, await sections[name](options with { Command = name }, work, output));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({name}: {clock.Elapsed.TotalSeconds:0} s; load average now {MachineDescription.LoadAverage()})"));
        output.WriteLine();
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
return exit;
