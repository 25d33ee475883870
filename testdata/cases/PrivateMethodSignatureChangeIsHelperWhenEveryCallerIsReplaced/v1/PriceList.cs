namespace Cases;

public class PriceList
{
    private int _quotes;

    public decimal Price(decimal amount) => Round(amount);

    public decimal Discounted(decimal amount)
    {
        System.Func<decimal, decimal> discount = a => Round(a * 0.9m);
        return discount(amount);
    }

    public string Quote(decimal amount) => Describe(Price(amount));

    private static decimal Round(decimal value) => decimal.Round(value, 0);

    private string Describe(decimal price) => "quote " + (++_quotes) + ": " + price;
}
