using System.Collections.Generic;

namespace Cases;

public class Page<TItem> where TItem : class
{
    private readonly List<TItem> _items = new();

    public IReadOnlyList<TItem> Items => _items;

    public TOut[] Map<TOut>(System.Func<TItem, TOut> map)
    {
        var result = new TOut[_items.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = map(_items[i]);
        return result;
    }
}
