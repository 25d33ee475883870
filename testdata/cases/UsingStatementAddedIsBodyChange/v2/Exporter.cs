using System.IO;

namespace Cases;

public static class Exporter
{
    public static void Save(string path, string[] lines)
    {
        using var writer = new StreamWriter(path);
        foreach (var line in lines)
            writer.WriteLine(line);
        writer.Flush();
    }
}
