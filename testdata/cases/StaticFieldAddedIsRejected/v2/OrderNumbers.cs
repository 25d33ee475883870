namespace Cases;

public static class OrderNumbers
{
    private static int _last;
    private static int _issuedToday;

    public static int Next()
    {
        _issuedToday++;
        return ++_last;
    }
}
