namespace Cases;

public class Shipping
{
    public decimal Cost(int weight)
    {
        return Rate(weight) * weight;
    }

    private static decimal Rate(int weight)
    {
        return weight > 10 ? 0.5m : 0.8m;
    }
}
