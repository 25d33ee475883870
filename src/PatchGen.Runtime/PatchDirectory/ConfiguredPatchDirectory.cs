namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Starts the configured patch directory (<see cref="PatchDirectoryConfiguration"/>) once per process,
/// from whichever comes first: the startup hook, or the module initializer of the first patchable
/// assembly (so <c>&lt;PatchGenPatchDirectory&gt;</c> works without the hook). Both run before
/// <c>Main</c> when the application is patchable. Never throws: a patch directory that cannot be
/// followed is a warning on standard error, never a reason for the application not to start.
/// </summary>
internal static class ConfiguredPatchDirectory
{
    private static int s_started;

    public static void StartOnce()
    {
        if (Interlocked.Exchange(ref s_started, 1) != 0)
            return;
        string? folder = null;
        try
        {
            folder = PatchDirectoryConfiguration.Configured();
            if (folder is not null)
                PatchRuntime.WatchPatchDirectory(folder);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            try
            {
                Console.Error.WriteLine($"patchgen: warning: the patch directory {folder ?? "(configured)"} is not followed: {e.Message}");
            }
            catch (IOException)
            {
                // Nowhere left to say it.
            }
        }
    }
}
