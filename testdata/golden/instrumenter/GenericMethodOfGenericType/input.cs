using System;
using System.Collections.Generic;

namespace Golden;

// Sites in generic code dispatch through a generic stub over the declaring type's parameters followed
// by the method's, and the stub passes ldtoken of its own instantiation so that the runtime can find
// the replacement's instantiation. Reference types erase to object; a type parameter stays itself.
public class Registry<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, object> _items = new();

    public TValue GetOrAdd<TValue>(TKey key, Func<TKey, TValue> create) where TValue : class
    {
        if (_items.TryGetValue(key, out var existing))
            return (TValue)existing;
        var created = create(key);
        _items.Add(key, created);
        return created;
    }

    public bool Remove(TKey key)
    {
        bool removed = _items.Remove(key);
        return removed && _items.Count >= 0;
    }
}

public static class Sequences
{
    public static T FirstOr<T>(IReadOnlyList<T> items, T fallback) where T : struct
    {
        if (items.Count == 0)
            return fallback;
        return items[0];
    }
}
