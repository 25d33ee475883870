using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace Cases;

public class Lookup
{
    private readonly Dictionary<string, string> _map = new();

    public bool TryFind(string key, [NotNullWhen(true)] out string? value)
    {
        return _map.TryGetValue(key, out value);
    }
}
