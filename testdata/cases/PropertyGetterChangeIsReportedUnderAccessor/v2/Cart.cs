using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Cart
{
    private readonly List<decimal> _lines = new();

    public decimal Total
    {
        get { return decimal.Round(_lines.Sum(), 2); }
    }

    public int Count => _lines.Count;
}
