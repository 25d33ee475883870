using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Prices
{
    private readonly List<decimal> _list = new();

    public decimal Cheapest()
    {
        return _list.Where(p => p > 0).DefaultIfEmpty().Min();
    }
}
