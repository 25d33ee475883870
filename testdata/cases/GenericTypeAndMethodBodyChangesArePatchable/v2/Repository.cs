using System;
using System.Collections.Generic;

namespace Cases;

public class Repository<TEntity> where TEntity : class
{
    private readonly Dictionary<int, TEntity> _items = new();

    public TEntity? Find(int id)
    {
        if (id <= 0)
            return null;
        return _items.TryGetValue(id, out var item) ? item : null;
    }

    public TResult Project<TResult>(int id, Func<TEntity, TResult> map, TResult fallback)
    {
        var item = Find(id);
        return item is not null ? map(item) : fallback;
    }
}
