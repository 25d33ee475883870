namespace Cases;

public class Counter
{
    // The fix refuses negative limits where they are set.
    public static int Limit { get; set => field = value < 0 ? 0 : value; } = 10;

    public int Count { get; set; }
}
