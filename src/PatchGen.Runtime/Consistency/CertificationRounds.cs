namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The certification round of one engine: &gt; 0 open, &lt; 0 closing, 0 none. The engine's certifier
/// opens, closes and ends rounds (<see cref="Certifier"/>); the engine's threads read the round when they
/// cannot switch and doom themselves in it (<see cref="ThreadUniverse"/>, docs/consistency-model.md, "The
/// handshake"). Per engine, like the generations the handshake is about: a thread's doom is recorded in
/// its universe of that engine.
/// </summary>
internal sealed class CertificationRounds
{
    private int _round;
    private int _rounds;

    /// <summary>The round: its number while open, minus its number while closing, 0 when none runs.</summary>
    public int Current => Volatile.Read(ref _round);

    /// <summary>Opens a certification round; returns its number (ThreadUniverse and Certifier follow it).</summary>
    public int Open()
    {
        int round = Interlocked.Increment(ref _rounds) & int.MaxValue;
        if (round == 0)
            round = Interlocked.Increment(ref _rounds) & int.MaxValue;
        Volatile.Write(ref _round, round);
        // Every thread that decides after this point sees the round; every earlier old activation is on a stack by now.
        Interlocked.MemoryBarrierProcessWide();
        return round;
    }

    /// <summary>Moves an open round to closing: from here threads that cannot switch wait for the verdict.</summary>
    public bool Close(int round)
    {
        if (Interlocked.CompareExchange(ref _round, -round, round) != round)
            return false;
        Interlocked.MemoryBarrierProcessWide();
        return true;
    }

    /// <summary>Ends round <paramref name="round"/>, open or closing, unless it already ended.</summary>
    public void End(int round)
    {
        if (Interlocked.CompareExchange(ref _round, 0, round) != round)
            Interlocked.CompareExchange(ref _round, 0, -round);
    }

    /// <summary>
    /// Ends whatever round runs, when a transition completes (under the engine's lock, after the certified
    /// generation is written): a thread waiting on a closing round looks at the certified generation first.
    /// </summary>
    public void EndAny() => Volatile.Write(ref _round, 0);
}
