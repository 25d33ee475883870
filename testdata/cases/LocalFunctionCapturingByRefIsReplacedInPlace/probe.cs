// SumOfSquares of small values and of values whose squares overflow int when summed: v1 wraps around,
// v2's local function adds checked and throws OverflowException.
using System;
using System.Globalization;

public static class Probe
{
    private static string Try(int[] values)
    {
        try { return Cases.Totals.SumOfSquares(values).ToString(CultureInfo.InvariantCulture); }
        catch (Exception e) { return e.GetType().Name; }
    }

    public static string Run() => Try(new[] { 1, 2, 3 }) + " " + Try(new[] { 40000, 40000 });
}
