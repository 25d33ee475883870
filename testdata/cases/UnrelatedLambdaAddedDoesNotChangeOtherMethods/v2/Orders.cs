using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Orders
{
    private readonly List<decimal> _amounts = new();

    public decimal Sum()
    {
        return _amounts.Where(a => a > 0).Sum();
    }

    public decimal Largest()
    {
        return _amounts.OrderByDescending(a => a).FirstOrDefault();
    }

    public int CountAbove(decimal limit)
    {
        return _amounts.Count(a => a > limit);
    }
}
