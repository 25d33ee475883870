namespace PatchGen.Runtime.Consistency;

/// <summary>
/// A development aid: with <c>PATCHGEN_DEBUG_CERTIFIER=1</c>, publications, certifications and every
/// certification round's verdicts go to <c>/tmp/certifier.log</c>, with microsecond times and the process ID (child processes inherit the variable), so that a
/// mixed chain reported by a stress test can be set against what the runtime decided at that moment.
/// </summary>
internal static class DebugLog
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("PATCHGEN_DEBUG_CERTIFIER") == "1";
    private static readonly object Lock = new();

    public static void Write(string line)
    {
        if (!Enabled)
            return;
        lock (Lock)
            File.AppendAllText("/tmp/certifier.log", $"{DateTime.UtcNow:HH:mm:ss.ffffff} [{Environment.ProcessId}] {line}\n");
    }
}
