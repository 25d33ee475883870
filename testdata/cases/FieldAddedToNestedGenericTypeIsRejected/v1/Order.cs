using System.Collections.Generic;

namespace Cases;

public class Order<TProduct>
{
    public class Line
    {
        public TProduct? Product;
        public int Quantity;
    }

    public List<Line> Lines { get; } = new();
}
