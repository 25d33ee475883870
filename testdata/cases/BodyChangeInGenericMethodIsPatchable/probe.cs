// Best<T> over a non-empty and an empty list (int and string instantiations); on an empty list v1 fails
// in the list indexer (ArgumentOutOfRangeException), v2 throws ArgumentException itself.
using System;
using System.Collections.Generic;

public static class Probe
{
    private static string Try<T>(List<T> scores) where T : IComparable<T>
    {
        try
        {
            return Cases.Ranking.Best<T>(scores)?.ToString() ?? "null";
        }
        catch (Exception e)
        {
            return e.GetType().Name + (e is ArgumentException a ? "(" + a.ParamName + ")" : "");
        }
    }

    public static string Run()
        => string.Join(" ", Try(new List<int> { 3, 9, 4 }), Try(new List<int>()), Try(new List<string> { "b", "c", "a" }), Try(new List<string>()));
}
