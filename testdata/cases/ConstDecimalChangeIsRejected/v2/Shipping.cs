namespace Cases;

public class Shipping
{
    public const decimal FreeShippingThreshold = 75m;

    public decimal Cost(decimal total) => total >= FreeShippingThreshold ? 0m : 4.90m;
}
