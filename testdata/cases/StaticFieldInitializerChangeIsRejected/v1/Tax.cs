namespace Cases;

public static class Tax
{
    private static readonly decimal StandardRate = 0.20m;

    public static decimal Add(decimal net) => net * (1 + StandardRate);
}
