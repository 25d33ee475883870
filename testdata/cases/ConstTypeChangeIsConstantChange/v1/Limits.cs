namespace Cases;

public static class OrderLimits
{
    public const int MaxQuantity = 100;
}
