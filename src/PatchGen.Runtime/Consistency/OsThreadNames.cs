namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The name the operating system knows a thread by, for threads the runtime has no record of (the .NET
/// runtime gives a named managed thread's name, truncated, to the OS thread on Linux).
/// </summary>
internal static class OsThreadNames
{
    public static string? Of(int osThreadId)
    {
        if (!OperatingSystem.IsLinux() || osThreadId <= 0)
            return null;
        try
        {
            return File.ReadAllText($"/proc/self/task/{osThreadId}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
