namespace Cases;

public class Shipping
{
    public decimal Cost(decimal weightKg) => 4.90m + weightKg * 0.5m + Surcharge(weightKg);

    private static decimal Surcharge(decimal weightKg) => weightKg > 30m ? 10m : 0m;
}
