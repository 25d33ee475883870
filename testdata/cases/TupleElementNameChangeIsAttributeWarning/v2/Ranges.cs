namespace Cases;

public static class Ranges
{
    public static (int Low, int High) Bounds(int a, int b)
    {
        return a < b ? (a, b) : (b, a);
    }
}
