using System.Collections.Generic;

namespace Cases;

public class Page<T> where T : class
{
    private readonly List<T> _items = new();

    public IReadOnlyList<T> Items => _items;

    public TResult[] Map<TResult>(System.Func<T, TResult> map)
    {
        var result = new TResult[_items.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = map(_items[i]);
        return result;
    }
}
