// WordsAsync over text whose space-separated parts include a lone tab: v2's lambda trims words, so the tab is dropped.
using System.IO;

public static class Probe
{
    public static string Run()
    {
        var words = new Cases.Indexer().WordsAsync(new StringReader("one \t two  three"), 1).GetAwaiter().GetResult();
        return string.Join("|", words).Replace("\t", "\\t");
    }
}
