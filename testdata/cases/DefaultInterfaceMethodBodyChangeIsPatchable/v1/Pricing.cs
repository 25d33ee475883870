namespace Cases;

public interface IPricing
{
    decimal Price(int quantity);

    decimal PriceWithTax(int quantity) => Price(quantity) * 1.2m;
}
