namespace Cases;

public static class OrderLimits
{
    public const long MaxQuantity = 100;
}
