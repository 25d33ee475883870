using System.Collections.Generic;

namespace Cases;

public class Cache<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = new();

    public TValue GetOrAdd(TKey key, System.Func<TKey, TValue> load)
    {
        if (!_entries.TryGetValue(key, out var value))
            _entries[key] = value = load(key);
        return value;
    }
}
