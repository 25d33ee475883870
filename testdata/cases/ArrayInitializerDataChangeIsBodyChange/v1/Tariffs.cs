namespace Cases;

public static class Tariffs
{
    public static int[] Brackets()
    {
        return new[] { 10000, 25000, 60000, 120000 };
    }

    public static int[] Rates()
    {
        return new[] { 0, 10, 20, 30, 40 };
    }
}
