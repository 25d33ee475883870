using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class OrderHistory
{
    private readonly List<int> _orders = new();

    public IEnumerable<int> Page(int index, int size = 50) => _orders.Skip(index * size).Take(size);
}
