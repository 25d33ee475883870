namespace Cases;

public class Shipping
{
    private const decimal FreeShippingThreshold = 50m;
    private const string Carrier = "DHL";

    public decimal Cost(decimal total) => total >= FreeShippingThreshold ? 0m : 4.90m;

    public string Label() => Carrier;
}
