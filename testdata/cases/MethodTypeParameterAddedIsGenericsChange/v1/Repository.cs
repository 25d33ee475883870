using System.Collections.Generic;

namespace Cases;

public class Repository
{
    private readonly Dictionary<string, object> _items = new();

    public T? Find<T>(string key) where T : class
    {
        return _items.TryGetValue(key, out var item) ? item as T : null;
    }
}
