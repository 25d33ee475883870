namespace PatchGen.Runtime.Observation;

/// <summary>How (and whether yet) a NetTrace stream ended.</summary>
internal enum NettraceEnd
{
    /// <summary>Still being read.</summary>
    None,

    /// <summary>The end-of-stream tag was read: every object the writer produced was seen.</summary>
    Completed,

    /// <summary>The stream stopped in the middle (session closed, connection lost): what came before is intact.</summary>
    Truncated,

    /// <summary>Something that is not NetTrace V4/V5 was found; reading stopped there.</summary>
    Malformed,
}
