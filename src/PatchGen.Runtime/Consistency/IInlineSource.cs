using System.Reflection;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// What the JIT inlined into compiled code, as name keys (<see cref="MethodIdentity.NameKey(MethodBase)"/>).
/// </summary>
/// <param name="Root">The name key of the method the code belongs to.</param>
/// <param name="Inlinees">Every method inlined into it, at any depth.</param>
/// <param name="Edges">The inlining tree as (inliner, inlinee) pairs; the inliner is <paramref name="Root"/> or an inlinee.</param>
/// <param name="Evidence">Whether <paramref name="Inlinees"/> is all of it, and if not, why.</param>
/// <param name="Trees">The JIT's inline tree of every version that can hold inlined code, or null when some version's is not known.</param>
internal sealed record InlineFacts(string Root, IReadOnlySet<string> Inlinees, IReadOnlyCollection<(string Inliner, string Inlinee)> Edges, InlineEvidence Evidence,
    IReadOnlyList<Observation.InlineTree>? Trees);

/// <summary>How much of what the JIT inlined into a method's code is known.</summary>
internal enum InlineEvidence
{
    /// <summary>Every compiled version's inlines were recorded as the JIT made them.</summary>
    Recorded,

    /// <summary>
    /// Some version was compiled before observation began: what it inlined is unknown, but it cannot hold
    /// an instrumented method through guarded devirtualization (see <see cref="StaticInlining"/>).
    /// </summary>
    BeforeObservation,

    /// <summary>Events were lost while some version was compiled: it may hold anything.</summary>
    Lost,

    /// <summary>
    /// No code of a method of a patchable assembly is recorded: either it was compiled a moment ago and its event is
    /// still on its way (a catch-up brings it), or no event names it (ReadyToRun code, or a first version the JIT
    /// published before writing its event): what it inlined is unknown.
    /// </summary>
    NoCode,
}

/// <summary>What the JIT really inlined, as the runtime's own events report it (src/PatchGen.Runtime/Observation).</summary>
internal interface IInlineSource
{
    /// <summary>
    /// The union over every compiled version of <paramref name="method"/> of what the JIT inlined into it,
    /// with how complete it is; null for a method it cannot look up (such as a dynamic method).
    /// </summary>
    InlineFacts? FactsOf(MethodBase? method);

    /// <summary>
    /// Waits until everything the JIT compiled before this call is in the facts (false at the timeout):
    /// the facts lag the JIT by the runtime's event flush (about 100 ms).
    /// </summary>
    bool CatchUp(TimeSpan timeout);

    /// <summary>A <see cref="System.Diagnostics.Stopwatch"/> timestamp before which everything the JIT compiled is in the facts (the start of the latest successful <see cref="CatchUp"/>).</summary>
    long CaughtUpThrough { get; }
}
