namespace Cases;

public static class Limits
{
    private static readonly int MaxItems = 10;

    public static bool Allows(int items) => items <= MaxItems;
}
