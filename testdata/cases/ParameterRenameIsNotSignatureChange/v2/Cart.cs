namespace Cases;

public class Cart
{
    private decimal _total;

    public void Add(decimal unitPrice, int quantity)
    {
        _total += unitPrice * quantity;
    }

    public decimal Total => _total;
}
