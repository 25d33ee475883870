using System.Collections.Generic;

namespace Cases;

public class Cart
{
    private readonly List<string> _items = new(4);
    private int _maxItems = 50;

    public bool Add(string item)
    {
        if (_items.Count >= _maxItems)
            return false;
        _items.Add(item);
        return true;
    }
}
