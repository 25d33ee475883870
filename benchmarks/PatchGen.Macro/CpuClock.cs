using System.Runtime.InteropServices;

namespace PatchGen.Macro;

/// <summary>
/// CPU time from the kernel (Linux): of the calling thread, in nanoseconds, and of another process, from
/// <c>/proc/&lt;pid&gt;/stat</c>. Thread CPU time leaves out what other threads and processes did meanwhile,
/// which wall-clock time on a shared 2-core machine does not.
/// </summary>
internal static class CpuClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int ScClkTck = 2;             // _SC_CLK_TCK

    private static readonly long TicksPerSecond = sysconf(ScClkTck) is var t and > 0 ? t : 100;

    /// <summary>CPU time the calling thread has used, in nanoseconds.</summary>
    public static long ThreadNanoseconds()
    {
        if (clock_gettime(ClockThreadCpuTimeId, out var ts) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: " + Marshal.GetLastPInvokeError());
        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    /// <summary>
    /// User + system CPU time of every thread of process <paramref name="pid"/>, in nanoseconds; resolution one
    /// clock tick (10 ms at the usual 100 Hz), so a measured interval must span hundreds of ticks.
    /// </summary>
    public static long ProcessNanoseconds(int pid)
    {
        // Fields after the command name, which is in parentheses and may contain spaces: state is field 3,
        // utime field 14, stime field 15 (proc(5)).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[14 - 3], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[15 - 3], System.Globalization.CultureInfo.InvariantCulture);
        return ticks * (1_000_000_000L / TicksPerSecond);
    }

    /// <summary>Nanoseconds per clock tick of <see cref="ProcessNanoseconds"/>.</summary>
    public static long ProcessTickNanoseconds => 1_000_000_000L / TicksPerSecond;

    /// <summary>
    /// User + system CPU time of every child process this process has waited for, in nanoseconds
    /// (<c>getrusage(RUSAGE_CHILDREN)</c>): the difference across one child's run, start to exit, is that child's
    /// CPU time, which /proc no longer has once it has been reaped.
    /// </summary>
    public static long ChildrenNanoseconds()
    {
        if (getrusage(RusageChildren, out var usage) != 0)
            throw new InvalidOperationException("getrusage(RUSAGE_CHILDREN) failed: " + Marshal.GetLastPInvokeError());
        return ((usage.UserSeconds + usage.SystemSeconds) * 1_000_000_000L) + ((usage.UserMicroseconds + usage.SystemMicroseconds) * 1000L);
    }

    private const int RusageChildren = -1; // RUSAGE_CHILDREN

    /// <summary>The leading fields of <c>struct rusage</c> (64-bit Linux); the rest is room the kernel fills.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public fixed long Rest[14];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);

    [DllImport("libc")]
    private static extern long sysconf(int name);
}
