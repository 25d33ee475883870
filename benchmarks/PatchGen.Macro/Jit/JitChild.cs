using System.Globalization;
using PatchGen.Macro.InProcess;

namespace PatchGen.Macro.Jit;

/// <summary>
/// The child process of the <c>jit</c> command: <c>jit-child &lt;newtonsoft|markdig&gt; &lt;dll&gt; &lt;seconds&gt;</c> loads that one
/// copy of the library into a load context of its own and runs the workload for the given CPU time, so the JIT's
/// summary of this process is the summary of one build alone.
/// </summary>
internal static class JitChild
{
    public static int Run(IReadOnlyList<string> args)
    {
        var (library, dll, seconds) = (args[0], args[1], double.Parse(args[2], CultureInfo.InvariantCulture));
        var assembly = new VariantLoadContext("jit-child", Path.GetDirectoryName(dll)!).LoadMain(Path.GetFileName(dll));
        var operation = library switch
        {
            NewtonsoftJsonWorkload.Name => NewtonsoftJsonWorkload.Operation(assembly),
            MarkdigWorkload.Name => MarkdigWorkload.Operation(assembly),
            _ => throw new ArgumentException("unknown library " + library),
        };
        long sink = 0, operations = 0;
        // CPU time of the whole process (the JIT's background threads included), not wall time: on a loaded machine
        // a wall-time budget let one build reach Tier1 and the other not, which made the two summaries incomparable.
        var start = Environment.CpuUsage.TotalTime;
        while ((Environment.CpuUsage.TotalTime - start).TotalSeconds < seconds)
        {
            sink += operation();
            operations++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"operations={operations} checksum={sink}"));
        return 0;
    }
}
