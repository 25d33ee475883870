namespace PatchGen.Runtime.Consistency;

/// <summary>
/// One transition (livepatch's <c>klp_transition_patch</c> and <c>klp_target_state</c>): the generation a
/// patch's enable or disable published, until a certification shows that no thread can run the code it
/// replaced any more. Threads switch to it on their own (<see cref="ThreadUniverse"/>); the transition
/// only waits to certify that they all have, or never need to.
/// </summary>
internal sealed class Transition
{
    private volatile IReadOnlyList<Straggler> _stragglers = Array.Empty<Straggler>();

    public Transition(long generation, LoadedPatch patch, bool enabling, IReadOnlyList<LoadedPatch> replaced)
    {
        Generation = generation;
        Patch = patch;
        Enabling = enabling;
        Replaced = replaced;
        StartTime = DateTime.UtcNow;
    }

    public long Generation { get; }

    public LoadedPatch Patch { get; }

    /// <summary>Towards the patch's code (true), or back from it.</summary>
    public bool Enabling { get; }

    /// <summary>The patches an atomic-replace enable retires when it is certified.</summary>
    public IReadOnlyList<LoadedPatch> Replaced { get; }

    public DateTime StartTime { get; }

    /// <summary>Set when the transition was certified or forced (or superseded by a reversal).</summary>
    public ManualResetEventSlim Done { get; } = new(false);

    public bool Forced { get; set; }

    /// <summary>When it was certified (or forced), relative to <see cref="StartTime"/>.</summary>
    public TimeSpan? Duration { get; set; }

    public Certifier? Certifier { get; set; }

    /// <summary>The threads the last certification round could not clear, and why.</summary>
    public IReadOnlyList<Straggler> Stragglers
    {
        get => _stragglers;
        set => _stragglers = value;
    }
}
