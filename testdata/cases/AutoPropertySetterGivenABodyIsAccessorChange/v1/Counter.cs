namespace Cases;

public class Counter
{
    public static int Limit { get; set; } = 10;

    public int Count { get; set; }
}
