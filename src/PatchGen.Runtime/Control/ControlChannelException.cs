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
}
