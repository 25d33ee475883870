namespace Cases;

public static class OrderNumbers
{
    private static int _last;

    public static int Next() => ++_last;
}
