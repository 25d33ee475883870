// Ranges.Bounds: of an empty array, (int.MaxValue, int.MinValue) in v1 and (0, 0) in v2.
public static class Probe
{
    public static string Run()
    {
        var some = Cases.Ranges.Bounds(new[] { 4, -2, 9 });
        var none = Cases.Ranges.Bounds(new int[0]);
        return Pair(some.Min, some.Max) + " " + Pair(none.Min, none.Max);
    }

    private static string Pair(int min, int max)
        => System.FormattableString.Invariant($"({min}, {max})");
}
