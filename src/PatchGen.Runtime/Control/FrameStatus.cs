namespace PatchGen.Runtime.Control;

/// <summary>What reading one frame found.</summary>
internal enum FrameStatus
{
    /// <summary>A whole frame within the limit.</summary>
    Complete,
    /// <summary>The stream ended cleanly, before the first byte of a frame.</summary>
    EndOfStream,
    /// <summary>The stream ended inside the length prefix or the body.</summary>
    Truncated,
    /// <summary>The length prefix claims more than the limit; the body was not read.</summary>
    TooLarge,
}
