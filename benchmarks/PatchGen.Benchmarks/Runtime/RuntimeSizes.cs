using System.Globalization;
using System.Reflection;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>What instrumentation adds to the benchmark targets: file size, sites, IL bytes of method bodies.</summary>
internal static class RuntimeSizes
{
    public static void Print(TextWriter output)
    {
        output.WriteLine("| assembly | original | instrumented | growth | sites (tracked/leaf) | IL bytes original | IL bytes instrumented | IL growth |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var pair in new[] { RuntimeTargets.Calc, RuntimeTargets.Shop })
        {
            long il = IlBytes(pair.Plain);
            long ilInstrumented = IlBytes(pair.Instrumented);
            var r = pair.Result;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pair.Name} | {pair.OriginalImage.Length:N0} | {pair.InstrumentedImage.Length:N0} | {Percent(pair.OriginalImage.Length, pair.InstrumentedImage.Length)} | {r.SiteCount} ({r.StubCount} stubs) | {il:N0} | {ilInstrumented:N0} | {Percent(il, ilInstrumented)} |"));
        }
    }

    private static string Percent(long before, long after)
        => ((after - before) * 100.0 / before).ToString("+0", CultureInfo.InvariantCulture) + " %";

    /// <summary>The IL bytes of every method body of the assembly's own types (the site table included).</summary>
    private static long IlBytes(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        long total = 0;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                total += method.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0;
        }
        return total;
    }
}
