using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Cart
{
    private readonly List<decimal> _lines = new();

    public decimal Total
    {
        get { return _lines.Sum(); }
    }

    public int Count => _lines.Count;
}
