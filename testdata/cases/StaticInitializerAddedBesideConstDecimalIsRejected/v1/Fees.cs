namespace Cases;

public static class Fees
{
    public const decimal CardFee = 0.30m;

    private static int _waivedCount;

    public static decimal For(decimal amount) => amount > 100m ? 0m : CardFee;

    public static int Waived => _waivedCount;
}
