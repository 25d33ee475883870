using System.Collections.Generic;

namespace Cases;

public class Cache<TValue>
{
    private readonly Dictionary<string, TValue> _entries = new();

    public void Put(string key, TValue value) => _entries[key] = value;
}
