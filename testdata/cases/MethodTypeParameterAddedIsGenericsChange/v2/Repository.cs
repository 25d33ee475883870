using System.Collections.Generic;

namespace Cases;

public class Repository
{
    private readonly Dictionary<string, object> _items = new();

    public T? Find<T, TKey>(TKey key) where T : class where TKey : notnull
    {
        return _items.TryGetValue(key.ToString()!, out var item) ? item as T : null;
    }
}
