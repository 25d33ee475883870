using System.Collections.Generic;

namespace Cases;

public class Lookup
{
    private readonly Dictionary<string, string> _map = new();

    public bool TryFind(string key, out string? value)
    {
        return _map.TryGetValue(key, out value);
    }
}
