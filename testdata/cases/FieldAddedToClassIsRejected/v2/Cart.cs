namespace Cases;

public class Cart
{
    private decimal _subtotal;
    private decimal _discount;

    public void Add(decimal price) => _subtotal += price;

    public decimal Total() => _subtotal - _discount;
}
