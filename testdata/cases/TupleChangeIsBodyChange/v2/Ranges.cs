namespace Cases;

public static class Ranges
{
    public static (int Min, int Max) Bounds(int[] values)
    {
        if (values.Length == 0)
            return (0, 0);
        var (min, max) = (int.MaxValue, int.MinValue);
        foreach (var v in values)
            (min, max) = (v < min ? v : min, v > max ? v : max);
        return (min, max);
    }
}
