using System.Collections.Generic;

namespace Cases;

public class Cache<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = new();

    public void Put(TKey key, TValue value) => _entries[key] = value;
}
