using System.Reflection;

namespace PatchGen.Runtime.Consistency;

/// <summary>One frame of a stack snapshot.</summary>
/// <param name="Method">The method whose code the frame runs; null when the code is not a method the runtime can name.</param>
/// <param name="Inlinees">Name keys of what the JIT inlined into that very code version; null when not known.</param>
/// <param name="Unresolved">The instruction pointer is in code the runtime compiled but no method could be found for (yet).</param>
internal readonly record struct SnapshotFrame(MethodBase? Method, IReadOnlySet<string>? Inlinees, bool Unresolved);

/// <summary>One thread of a stack snapshot.</summary>
/// <param name="OsThreadId">The operating system's ID of the thread.</param>
/// <param name="Frames">Its managed frames, innermost first.</param>
/// <param name="Truncated">The sampler stopped before the bottom of the stack: frames beyond are unknown.</param>
internal sealed record ThreadStack(int OsThreadId, IReadOnlyList<SnapshotFrame> Frames, bool Truncated);

/// <summary>Every managed thread's stack at one moment (the runtime suspended to take it).</summary>
internal sealed record StackSnapshot(IReadOnlyList<ThreadStack> Threads, TimeSpan Latency);

/// <summary>Takes stack snapshots of this process (src/PatchGen.Runtime/Observation).</summary>
internal interface IStackSource
{
    /// <summary>A snapshot, or null with the reason when the stacks of this process cannot be seen.</summary>
    StackSnapshot? Take(TimeSpan timeout, out string? whyNot);
}
