using System.Runtime;

namespace PatchGen.Cli.Startup;

/// <summary>
/// The tool's process runs the commands that read whole assemblies (<c>diff</c>, <c>build</c>, <c>instrument</c>)
/// inside a GC no-collection region of up to 1 GiB, a quarter of the memory the process may use at most
/// (docs/cli.md, "Startup"). Why: most of what they allocate lives to the end of the command (Cecil's model of
/// both builds), so every collection on the way copies survivors and finds little garbage: a cold diff of the
/// Roslyn pair allocated 861 MB and made 52 gen0 and 39 gen1 collections, 2.0–2.4 s of pauses in a 6.5–7.7 s run
/// (benchmarks.md, "Cold start"). Inside the region it makes none. The price is memory: the garbage stays until
/// the region ends (peak working set 937 MiB against 566 MiB there); a command that allocates more than the
/// region ends it at that moment and goes on with ordinary collections.
/// <para>
/// Process-wide, so only the tool's entry point begins it: a test host that runs commands in-process, side by
/// side, never does. <c>PATCHGEN_GC_REGION_MB</c> sets the size (0: no region).
/// </para>
/// </summary>
internal static class CollectionFreeRun
{
    private static readonly string[] Commands = ["diff", "build", "instrument"];
    private const long MostBytes = 1L << 30;
    private const long FewestBytes = 64L << 20;
    internal const string SizeVariable = "PATCHGEN_GC_REGION_MB";

    /// <summary>Begins the region when <paramref name="args"/> run one of <see cref="Commands"/>; whether it did.</summary>
    public static bool TryBegin(string[] args)
        => Sizing(args, Environment.GetEnvironmentVariable(SizeVariable), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) is long size && TryStart(size);

    /// <summary>The size of the region that <paramref name="args"/> get, or null for none (<see cref="Size"/>).</summary>
    internal static long? Sizing(string[] args, string? variable, long availableBytes)
        => args.Length > 0 && Array.IndexOf(Commands, args[0]) >= 0 ? Size(variable, availableBytes) : null;

    private static bool TryStart(long size)
    {
        try
        {
            // False when the GC cannot promise that much (a container's limit, say).
            return GC.TryStartNoGCRegion(size);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            // More than this runtime's GC takes, or a region already open: the command runs as it would without.
            return false;
        }
    }

    /// <summary>Ends the region if it is still open (a command that allocated more than it ended it already).</summary>
    public static void End()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // Ended by the runtime meanwhile: nothing to end.
            }
        }
    }

    /// <summary>
    /// The region's size in bytes, or null for none: <paramref name="variable"/>'s (<see cref="SizeVariable"/>, in MiB; 0 or
    /// anything but a number: none), else a quarter of <paramref name="availableBytes"/> (what the GC may use: the
    /// machine's memory, or the container's limit), at most 1 GiB, and none under 64 MiB.
    /// </summary>
    internal static long? Size(string? variable, long availableBytes)
    {
        if (variable is { Length: > 0 })
            return long.TryParse(variable, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long mb) && mb > 0 && mb <= 1L << 20 ? mb << 20 : null;
        long size = Math.Min(MostBytes, availableBytes / 4);
        return size >= FewestBytes ? size : null;
    }
}
