using System.Runtime.InteropServices;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// CPU time used by the calling thread (user + system), to report what the event reader costs. .NET
/// exposes only process-wide CPU time, and the reader's own cost is the number worth knowing, so this
/// asks libc's getrusage(RUSAGE_THREAD) on Linux; null elsewhere.
/// </summary>
internal static class ThreadCpuClock
{
    private const int RusageThread = 1;

    // struct rusage: two struct timeval (seconds, microseconds) then 14 longs; 18 longs on 64-bit Linux.
    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, long[] usage);

    public static TimeSpan? CurrentThread()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return null;
        }

        var usage = new long[18];
        try
        {
            if (GetResourceUsage(RusageThread, usage) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        long micros = (usage[0] * 1_000_000) + usage[1] + (usage[2] * 1_000_000) + usage[3];
        return TimeSpan.FromMicroseconds(micros);
    }
}
