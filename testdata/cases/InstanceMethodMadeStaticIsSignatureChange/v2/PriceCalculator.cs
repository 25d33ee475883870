namespace Cases;

public class PriceCalculator
{
    public static decimal WithTax(decimal net, decimal rate)
    {
        return net * (1 + rate);
    }
}
