namespace PatchGen.Runtime.Control;

/// <summary>
/// The control channel cannot be opened or used: no such process, no channel, a folder with unsafe
/// permissions, a broken connection. An <see cref="IOException"/>, so that the public
/// <see cref="PatchRuntime.Listen"/> throws a public type; the message is one line for the user.
/// </summary>
internal sealed class ControlChannelException : IOException
{
    public ControlChannelException(string message)
        : base(message)
    {
    }

    public ControlChannelException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>
    /// True when something answered at the path but failed the client's checks (folder, peer, socket
    /// owner and mode): not a missing channel but one that must not be trusted (<c>patchgen ps</c> lists it as refused).
    /// </summary>
    public bool Refusal { get; init; }

    /// <summary>True when nothing serves the endpoint: no socket file, or one left by a process that is gone.</summary>
    public bool NoChannel { get; init; }
}
