namespace PatchGen.Runtime.Consistency;

/// <summary>
/// A development aid: with <c>PATCHGEN_DEBUG_CERTIFIER=1</c>, publications, certifications and every
/// certification round's verdicts go to <c>/tmp/certifier.log</c> (or to the file the variable names, when it is an absolute path), with microsecond times and the process ID (child processes inherit the variable), so that a
/// mixed chain reported by a stress test can be set against what the runtime decided at that moment.
/// </summary>
internal static class DebugLog
{
    private static readonly string? Path = Environment.GetEnvironmentVariable("PATCHGEN_DEBUG_CERTIFIER") switch
    {
        "1" => "/tmp/certifier.log",
        { } value when System.IO.Path.IsPathFullyQualified(value) => value,
        _ => null,
    };

    public static readonly bool Enabled = Path is not null;
    private static readonly object Lock = new();

    public static void Write(string line)
    {
        if (!Enabled)
            return;
        lock (Lock)
            File.AppendAllText(Path!, $"{DateTime.UtcNow:HH:mm:ss.ffffff} [{Environment.ProcessId}] {line}\n");
    }
}
