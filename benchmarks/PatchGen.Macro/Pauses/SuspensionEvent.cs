namespace PatchGen.Macro.Pauses;

/// <summary>Which of the runtime's suspension events (keyword GC, Informational) a <see cref="SuspensionEvent"/> is.</summary>
internal enum SuspensionEventKind
{
    /// <summary>GCSuspendEEBegin (event 9), with the suspension's reason.</summary>
    SuspendBegin,

    /// <summary>GCSuspendEEEnd (event 8): every managed thread is stopped.</summary>
    SuspendEnd,

    /// <summary>GCRestartEEBegin (event 7).</summary>
    RestartBegin,

    /// <summary>GCRestartEEEnd (event 3): the threads run again.</summary>
    RestartEnd,

    /// <summary>GCStart (event 1), with the GC's reason and generation: the suspension open at the time is a GC's.</summary>
    GCStart,
}

/// <summary>
/// One runtime event of the observed process, in milliseconds of the trace's clock. <see cref="Reason"/> is the
/// suspension's reason for <see cref="SuspensionEventKind.SuspendBegin"/> and the GC's reason for
/// <see cref="SuspensionEventKind.GCStart"/> (whose <see cref="Generation"/> is the condemned generation).
/// </summary>
internal readonly record struct SuspensionEvent(double TimeMs, SuspensionEventKind Kind, int Reason = 0, int Generation = 0, int ThreadId = 0);
