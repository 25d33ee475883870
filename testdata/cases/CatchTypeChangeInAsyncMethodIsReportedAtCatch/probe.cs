// ReadOrEmptyAsync on a missing file and on a file in a missing directory: v1 only catches
// FileNotFoundException (DirectoryNotFoundException escapes), v2 catches any IOException.
using System;
using System.IO;

public static class Probe
{
    private static string Try(string path)
    {
        try
        {
            return "\"" + new Cases.Reader().ReadOrEmptyAsync(path).GetAwaiter().GetResult() + "\"";
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }

    public static string Run()
    {
        var root = Path.Combine(Path.GetTempPath(), "patchgen-probe-missing-dir");
        return Try(Path.Combine(Path.GetTempPath(), "patchgen-probe-missing-file.txt")) + " " + Try(Path.Combine(root, "sub", "file.txt"));
    }
}
