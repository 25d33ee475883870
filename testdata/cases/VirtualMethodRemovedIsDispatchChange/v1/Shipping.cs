namespace Cases;

public class Shipping
{
    public decimal Cost(decimal weightKg) => 4.90m + weightKg * 0.5m + Surcharge();

    protected virtual decimal Surcharge() => 0m;
}
