using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace PatchGen.Macro;

/// <summary>What the figures were measured on, printed at the top of every run.</summary>
internal static class MachineDescription
{
    public static void Print(TextWriter output)
    {
        output.WriteLine($"Date (UTC): {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
        output.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}");
        output.WriteLine($"Runtime: {RuntimeInformation.FrameworkDescription}; GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, concurrent={AppContext.GetData("System.GC.Concurrent") ?? "default"}; tiered compilation and PGO at their defaults");
        output.WriteLine($"Load average at start: {LoadAverage()}");
        output.WriteLine();
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
