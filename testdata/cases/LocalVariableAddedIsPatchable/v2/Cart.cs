namespace Cases;

public class Cart
{
    private readonly decimal[] _prices = new decimal[8];

    public decimal Total()
    {
        decimal total = 0;
        int counted = 0;
        foreach (var price in _prices)
        {
            total += price;
            counted++;
        }
        return counted > 5 ? total * 0.95m : total;
    }
}
