namespace Cases;

public static class Limits
{
    public static int Doubled { get => field * 2; set; } = 10;
}
