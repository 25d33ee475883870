namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Where the directory says what it did and what it refused: <see cref="PatchRuntime.Log"/> when the
/// application set it, else standard error, which is where a service's operator looks (journald,
/// <c>kubectl logs</c>) and where the startup hook, in an application that knows nothing of PatchGen,
/// has nothing else. One line each: <c>patchgen: patch directory &lt;folder&gt;: ...</c>.
/// </summary>
internal sealed class PatchDirectoryLog
{
    private readonly string _prefix;

    public PatchDirectoryLog(string folder) => _prefix = "patchgen: patch directory " + folder + ": ";

    public void Write(string message)
    {
        var line = _prefix + message;
        try
        {
            var log = PatchRuntime.Log;
            if (log is not null)
                log(line);
            else
                Console.Error.WriteLine(line);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The application's hook (or a closed stderr) failing is no reason to stop patching.
        }
    }
}
