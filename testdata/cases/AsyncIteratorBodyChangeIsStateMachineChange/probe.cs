// Enumerates the async iterator ReadAsync(3) synchronously; v2 yields "entry i" instead of "item i".
using System.Collections.Generic;

public static class Probe
{
    public static string Run()
    {
        var items = new List<string>();
        var e = new Cases.Feed().ReadAsync(3).GetAsyncEnumerator();
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                items.Add(e.Current);
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return string.Join(",", items);
    }
}
