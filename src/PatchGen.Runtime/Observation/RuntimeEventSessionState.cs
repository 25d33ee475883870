namespace PatchGen.Runtime.Observation;

/// <summary>Where a <see cref="RuntimeEventSession"/> is in its life.</summary>
internal enum RuntimeEventSessionState
{
    NotStarted,

    /// <summary>Events are being read into the code map.</summary>
    Running,

    /// <summary>Stopped on request.</summary>
    Stopped,

    /// <summary>
    /// Could not start: no diagnostic server (diagnostics disabled), or the server refused.
    /// <see cref="RuntimeEventSession.FailureReason"/> says which.
    /// </summary>
    Unavailable,

    /// <summary>Was running, and the stream ended or broke without being asked to.</summary>
    Failed,
}
