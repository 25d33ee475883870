namespace PatchGen.Runtime.Observation;

/// <summary>
/// One provider to enable in an EventPipe session: its name, the keyword mask, and the most verbose
/// level wanted (1 critical … 5 verbose), as the diagnostic IPC protocol's <c>provider_config</c> carries them.
/// </summary>
internal readonly record struct EventPipeProvider(string Name, ulong Keywords, EventLevel Level, string? FilterData = null);

/// <summary>Event levels as EventPipe and ETW number them.</summary>
internal enum EventLevel : uint
{
    LogAlways = 0,
    Critical = 1,
    Error = 2,
    Warning = 3,
    Informational = 4,
    Verbose = 5,
}
