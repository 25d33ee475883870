namespace Cases;

public class PriceList
{
    private int _quotes;

    public decimal Price(decimal amount) => Round(amount, 2);

    public decimal Discounted(decimal amount)
    {
        System.Func<decimal, decimal> discount = a => Round(a * 0.9m, 2);
        return discount(amount);
    }

    public string Quote(decimal amount) => Describe(Price(amount), "EUR");

    private static decimal Round(decimal value, int digits) => decimal.Round(value, digits, System.MidpointRounding.AwayFromZero);

    private string Describe(decimal price, string currency) => "quote " + (++_quotes) + ": " + price + " " + currency;
}
