namespace Cases;

public class Cart
{
    private decimal _total;

    public void Add(decimal p, int n)
    {
        _total += p * n;
    }

    public decimal Total => _total;
}
