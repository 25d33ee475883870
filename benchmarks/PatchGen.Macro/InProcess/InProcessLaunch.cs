using System.Text.Json;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// One measuring process of the <c>libs</c> command (<c>libs-launch</c>): loads the prepared copies, runs every
/// workload with <see cref="InterleavedRunner"/>, and writes a <see cref="LaunchResult"/> as JSON.
/// </summary>
internal static class InProcessLaunch
{
    public static int Run(HarnessOptions options, string workDirectory, string resultFile, TextWriter log)
    {
        var settings = InProcessBenchmark.Settings(options);
        var runner = new InterleavedRunner(settings, new Random(options.Seed), log);
        string loadAtStart = MachineDescription.LoadAverage();

        // Every workload is loaded before any is measured: loading a library must not land in another's measurement.
        var workloads = new List<Workload>();
        if (options.Includes(NewtonsoftJsonWorkload.Name))
            workloads.Add(NewtonsoftJsonWorkload.Create(workDirectory));
        if (options.Includes(MarkdigWorkload.Name))
            workloads.Add(MarkdigWorkload.Create(workDirectory));
        if (options.Includes(ShopServiceWorkload.Name))
            workloads.Add(ShopServiceWorkload.Create(workDirectory, options.Fix, log));

        var measurements = workloads.Select(runner.Run).ToList();
        var result = new LaunchResult(options.Seed, loadAtStart, MachineDescription.LoadAverage(), measurements);
        File.WriteAllText(resultFile, JsonSerializer.Serialize(result));
        return 0;
    }
}
