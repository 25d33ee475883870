namespace Cases;

public interface IPricing
{
    decimal Price(int quantity);
}
