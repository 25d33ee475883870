namespace PatchGen.Runtime.Observation;

/// <summary>
/// Which way the next stack snapshot is taken: an in-process file session or the diagnostic server. Both give
/// the same, exact snapshot; only their speed differs, and with opposite conditions. A file session takes ~20 ms
/// on a machine with CPU to spare, against the diagnostic server's ~100 ms floor (its streaming thread's sleep),
/// but every attempt pays an enable and a disable, and when the process's threads outnumber its cores many times
/// those take hundreds of ms each (measured: 16 busy threads on 2 cores at a load average of 25, file sessions
/// 1.5–2.5x slower); the diagnostic server keeps sampling until a pass is complete and stops in the background.
/// So the chooser measures each way once (a warm file session first, then the diagnostic server),
/// then takes whichever way was faster recently (an exponentially weighted mean of each way's latency); while that
/// is the diagnostic server it tries a file session every <see cref="ExploreEvery"/>th snapshot, so that the end of
/// a load is noticed.
/// <para>
/// Two measurements are not blended in. The process's first file session is cold (its reading code compiled, its
/// first memory file, the observation's own start still running): 430–670 ms with 16 busy threads on 2 cores, where
/// warm ones took 20–125 ms when their first pass was complete; blended in, it kept the server chosen for most of a
/// run (a debug log of 2026-12-07: 17 of 20 transitions through the server, 150–500 ms each, while the transitions
/// that tried a file session took 144–169 ms). So the first file session is not recorded, and the second is taken by
/// a file session too. And a file session tried while the server is chosen is the only
/// recent figure of file sessions: it replaces their mean rather than moving it a third of the way.
/// </para>
/// Rounds are taken one at a time (Certifier.RoundLock), so no lock is needed here; a stale read costs speed only.
/// </summary>
internal static class SnapshotWayChooser
{
    public const int ExploreEvery = 8;
    private const double Weight = 0.3;

    // Milliseconds; NaN until a way has been measured. File sessions are tried first.
    private static double s_file = double.NaN;
    private static double s_server = double.NaN;
    private static int s_count;
    private static bool s_fileWarm;

    /// <summary>True when the next snapshot should try a file session first.</summary>
    public static bool PreferFileSession()
    {
        bool explore = ++s_count % ExploreEvery == 0;
        // Each way is measured once before any choice: the first two snapshots take a file session (the first is
        // not measured), the third goes through the diagnostic server (a process busy enough for file sessions to
        // lose is busy from the start).
        if (double.IsNaN(s_file))
            return true;
        if (double.IsNaN(s_server))
            return false;
        // Only file sessions are explored. While they are chosen, each one measures them: should load slow
        // them past the server's last figure, the server is chosen and measured again. While the server is
        // chosen, nothing would measure file sessions again without trying one. Exploring the server from
        // file sessions cost a ~100 ms snapshot every 8th transition of an idle process, for nothing.
        bool fileFaster = s_file <= s_server;
        return fileFaster || explore;
    }

    /// <summary>Records how long a snapshot took the way it was taken.</summary>
    public static void Record(bool fileSession, TimeSpan latency)
    {
        double ms = latency.TotalMilliseconds;
        if (fileSession)
        {
            if (!s_fileWarm)
            {
                s_fileWarm = true; // the cold first one: see the class's remarks
                return;
            }
            bool explored = !double.IsNaN(s_file) && !double.IsNaN(s_server) && s_file > s_server;
            s_file = double.IsNaN(s_file) || explored ? ms : (Weight * ms) + ((1 - Weight) * s_file);
        }
        else
        {
            s_server = double.IsNaN(s_server) ? ms : (Weight * ms) + ((1 - Weight) * s_server);
        }
    }

    /// <summary>Forgets what was measured (tests).</summary>
    internal static void Reset()
    {
        s_file = double.NaN;
        s_server = double.NaN;
        s_count = 0;
        s_fileWarm = false;
    }

    /// <summary>The current means, for the debug log and tests.</summary>
    internal static (double File, double Server) Means => (s_file, s_server);
}
