namespace Cases;

public static class Ranges
{
    public static (int Min, int Max) Bounds(int a, int b)
    {
        return a < b ? (a, b) : (b, a);
    }
}
