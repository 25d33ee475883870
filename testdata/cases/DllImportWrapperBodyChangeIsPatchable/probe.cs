// Delete(null) and Delete of a missing path: v1 passes null on to unlink (NULL -> EFAULT, returns false),
// v2 reads path.Length first and throws NullReferenceException.
using System;
using System.IO;

public static class Probe
{
    private static string Try(string? path)
    {
        try { return Cases.Files.Delete(path!).ToString(); }
        catch (Exception e) { return e.GetType().Name; }
    }

    public static string Run()
        => Try(Path.Combine(Path.GetTempPath(), "patchgen-probe-missing-dir", "file.txt")) + " " + Try(null);
}
