using System.Reflection;

namespace PatchGen.Runtime.Consistency;

/// <summary>One frame of a stack snapshot.</summary>
/// <param name="Method">The method whose code the frame runs; null when the code is not a method the runtime can name.</param>
/// <param name="Inlinees">Name keys of what the JIT inlined into that very code version; null when not known.</param>
/// <param name="Unresolved">No code version is known for the frame's address: JIT-compiled code whose event has not arrived yet, or precompiled code of an instrumented assembly.</param>
/// <param name="MethodId">The runtime's MethodDesc of the code (0 when unknown): matches the handles of the changed functions' implementations without naming any module.</param>
/// <param name="NameKey">The code's method as the runtime's events name it (<see cref="MethodIdentity.NameKey(string, string)"/>), for code whose module cannot be named.</param>
/// <param name="Reason">For an unresolved frame whose code is known not to be nameable (ReadyToRun code of an instrumented assembly): why.</param>
internal readonly record struct SnapshotFrame(MethodBase? Method, IReadOnlySet<string>? Inlinees, bool Unresolved, ulong MethodId = 0, string? NameKey = null, string? Reason = null);

/// <summary>One thread of a stack snapshot: its OS thread ID, its managed frames (innermost first), and whether the sampler stopped before the bottom of the stack (frames beyond are unknown).</summary>
internal sealed class ThreadStack
{
    private readonly Lazy<IReadOnlyList<SnapshotFrame>> _frames;

    public ThreadStack(int osThreadId, Func<IReadOnlyList<SnapshotFrame>> frames, bool truncated)
    {
        OsThreadId = osThreadId;
        _frames = new Lazy<IReadOnlyList<SnapshotFrame>>(frames, LazyThreadSafetyMode.None);
        Truncated = truncated;
    }

    public ThreadStack(int osThreadId, IReadOnlyList<SnapshotFrame> frames, bool truncated)
        : this(osThreadId, () => frames, truncated)
    {
    }

    public int OsThreadId { get; }

    /// <summary>Named only when asked for: most threads of a snapshot have switched already and need no look.</summary>
    public IReadOnlyList<SnapshotFrame> Frames => _frames.Value;

    public bool Truncated { get; }
}

/// <summary>Every managed thread's stack at one moment (the runtime suspended to take it).</summary>
internal sealed record StackSnapshot(IReadOnlyList<ThreadStack> Threads, TimeSpan Latency);

/// <summary>Takes stack snapshots of this process (src/PatchGen.Runtime/Observation).</summary>
internal interface IStackSource
{
    /// <summary>A snapshot, or null with the reason when the stacks of this process cannot be seen.</summary>
    StackSnapshot? Take(TimeSpan timeout, out string? whyNot);
}
