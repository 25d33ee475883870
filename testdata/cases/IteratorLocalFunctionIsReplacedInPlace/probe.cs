// Splits an int[] and a uint[] seen as int[] into batches and shows each batch's runtime type: v1's range
// (RuntimeHelpers.GetSubArray) keeps the source array's type (UInt32[]), v2's AsSpan().ToArray() makes Int32[].
using System;
using System.Linq;

public static class Probe
{
    private static string Describe(int[] items, int size)
        => string.Join(";", Cases.Batches.Split(items, size).Select(b => b.GetType().Name + "#" + b.Length + ":" + (b.Length > 0 ? b[0] : -1)));

    public static string Run()
    {
        string invalid;
        try { Cases.Batches.Split(new[] { 1 }, 0); invalid = "accepted"; }
        catch (Exception e) { invalid = e.GetType().Name; }
        return Describe(new[] { 1, 2, 3, 4, 5 }, 2) + " | " + Describe((int[])(object)new uint[] { 1, 2, 3, 4, 5 }, 2) + " | " + invalid;
    }
}
