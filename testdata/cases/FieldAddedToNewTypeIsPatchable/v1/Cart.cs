namespace Cases;

public class Cart
{
    private decimal _subtotal;

    public void Add(decimal price) => _subtotal += price;

    public decimal Total() => _subtotal;
}
