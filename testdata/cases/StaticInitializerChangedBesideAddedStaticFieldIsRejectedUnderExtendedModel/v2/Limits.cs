namespace Cases;

public static class Limits
{
    private static readonly int MaxItems = 20;
    private static readonly int MaxWeight = 50;

    public static bool Allows(int items, int weight = 0) => items <= MaxItems && weight <= MaxWeight;

    public static bool Allows(int items) => Allows(items, 0);
}
