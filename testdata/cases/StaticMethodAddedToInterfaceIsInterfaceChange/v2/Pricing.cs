namespace Cases;

public interface IPricing
{
    decimal Price(int quantity);

    static decimal Round(decimal price) => decimal.Round(price, 2);
}
