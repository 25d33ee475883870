namespace PatchGen.Runtime.Control;

/// <summary>Lines about the control channel, to <see cref="PatchRuntime.Log"/> when the application set it.</summary>
internal static class ControlLog
{
    public static void Write(string message)
    {
        try
        {
            PatchRuntime.Engine.Emit("control channel: " + message);
        }
        catch (Exception)
        {
            // The application's log callback threw: the channel must go on without it, and there is
            // nowhere else to report it.
        }
    }
}
