namespace Cases;

public interface IPricing
{
    decimal Price(int quantity);

    decimal PriceWithTax(int quantity) => decimal.Round(Price(quantity) * 1.2m, 2);
}
