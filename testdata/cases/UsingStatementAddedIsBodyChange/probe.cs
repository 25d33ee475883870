// Whether Save leaves its file open: v1 leaks the StreamWriter (the file stays locked against an
// exclusive open, FileShare.None), v2 disposes it. The content written is the same in both.
using System;
using System.IO;

public static class Probe
{
    public static string Run()
    {
        var path = Path.Combine(Path.GetTempPath(), "patchgen-probe-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            Cases.Exporter.Save(path, new[] { "a", "b" });
            string exclusive;
            try
            {
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    exclusive = "exclusive open succeeds";
            }
            catch (IOException)
            {
                exclusive = "exclusive open fails (file still open)";
            }
            return exclusive + "; content: " + File.ReadAllText(path).Replace("\r", "\\r").Replace("\n", "\\n");
        }
        finally
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
