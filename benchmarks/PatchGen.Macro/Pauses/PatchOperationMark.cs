namespace PatchGen.Macro.Pauses;

/// <summary>One <see cref="TransitionMarkers"/> event as read back from the trace.</summary>
internal readonly record struct PatchOperationMark(double TimeMs, bool Began, string Operation, int Cycle);
