using System.Collections.Generic;

namespace Cases;

public class Basket
{
    private readonly List<decimal> _prices = new();

    public void Add(decimal price) => _prices.Add(price);

    public void Clear()
    {
        _prices.Clear();
    }
}
