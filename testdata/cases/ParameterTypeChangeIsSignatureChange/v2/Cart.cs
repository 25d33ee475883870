namespace Cases;

public class Cart
{
    private decimal _total;

    public void AddItem(decimal price, long quantity)
    {
        _total += price * quantity;
    }

    public decimal Total => _total;
}
