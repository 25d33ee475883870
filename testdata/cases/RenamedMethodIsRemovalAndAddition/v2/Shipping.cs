namespace Cases;

public class Shipping
{
    public decimal Cost(int weight)
    {
        return RatePerKilogram(weight) * weight;
    }

    private static decimal RatePerKilogram(int weight)
    {
        return weight > 10 ? 0.5m : 0.8m;
    }
}
