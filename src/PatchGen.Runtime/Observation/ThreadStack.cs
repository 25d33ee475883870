namespace PatchGen.Runtime.Observation;

/// <summary>One frame of a sampled stack: the instruction pointer (a return address for all but the top frame) and the code version containing it, if known.</summary>
internal readonly record struct StackFrame(ulong InstructionPointer, CodeVersion? Code);

/// <summary>
/// One managed thread's stack in a sampling pass.
/// </summary>
/// <param name="OsThreadId">The operating system's thread ID (what EventPipe reports).</param>
/// <param name="Kind">Running managed code, or outside it (native code, a wait, the runtime).</param>
/// <param name="Frames">Innermost first. Only managed frames: EventPipe walks the managed stack.</param>
/// <param name="MaybeTruncated">
/// The stack filled EventPipe's cap (100 frames): outer frames may be missing, so "method X is not on
/// this stack" cannot be concluded from it.
/// </param>
internal sealed record ThreadStack(long OsThreadId, ThreadSampleKind Kind, IReadOnlyList<StackFrame> Frames, bool MaybeTruncated);
