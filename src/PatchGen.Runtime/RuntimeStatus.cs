namespace PatchGen.Runtime;

/// <summary>What the runtime holds right now: patches, the transition in progress, the last failure.</summary>
/// <param name="Patches">Loaded patches in the order they were enabled.</param>
/// <param name="Transition">The transition in progress, or null.</param>
/// <param name="LastFailure">The last failure of a post callback (PG4004), which the runtime undid, or null.</param>
public sealed record RuntimeStatus(IReadOnlyList<PatchInfo> Patches, TransitionInfo? Transition, string? LastFailure);

/// <summary>One loaded patch.</summary>
/// <param name="Id">The patch ID.</param>
/// <param name="TargetAssembly">The assembly it patches.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="Cumulative">Whether it atomically replaces the patches before it.</param>
/// <param name="Forced">Whether a forced transition means it can never be unloaded.</param>
/// <param name="Replaces">Documentation IDs of the methods it replaces.</param>
public sealed record PatchInfo(string Id, string TargetAssembly, PatchState State, bool Cumulative, bool Forced, IReadOnlyList<string> Replaces)
{
    /// <summary>
    /// The public key token (16 lowercase hex digits) of the strong-name key whose signature on the
    /// patch verified, or null for a patch without a valid signature (docs/patch-signing.md).
    /// </summary>
    public string? PublicKeyToken { get; init; }

    /// <summary>
    /// Every assembly it patches, <see cref="TargetAssembly"/> first: one for a patch of one base, several
    /// for a patch of several assemblies, whose functions switch in one transition.
    /// </summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];
}

/// <summary>The transition in progress.</summary>
/// <param name="PatchId">The patch being enabled or disabled.</param>
/// <param name="Enabling">True towards the patched universe, false back from it.</param>
/// <param name="Started">When it started (UTC).</param>
/// <param name="Elapsed">How long it has been running.</param>
/// <param name="PendingThreads">Threads not yet switched, with the patch's functions on their stacks.</param>
public sealed record TransitionInfo(string PatchId, bool Enabling, DateTime Started, TimeSpan Elapsed, IReadOnlyList<ThreadInfo> PendingThreads);

/// <summary>A thread holding a transition open.</summary>
/// <param name="ManagedThreadId">Its managed thread ID, or 0 for a thread that never ran patched code (the runtime knows it only from a stack snapshot).</param>
/// <param name="Name">Its name, if it has one.</param>
/// <param name="Functions">What holds it: the functions of the transition on its stack (documentation IDs, outermost first), or what could not be seen.</param>
public sealed record ThreadInfo(int ManagedThreadId, string? Name, IReadOnlyList<string> Functions)
{
    /// <summary>The operating system's ID of the thread (0 when unknown).</summary>
    public int OsThreadId { get; init; }
}
