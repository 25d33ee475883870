// Reads a set cell and the out-of-range index 100: v1 throws IndexOutOfRangeException, v2 returns 0.
using System;
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var grid = new Cases.Grid();
        grid[5] = 7;
        string outside;
        try { outside = grid[100].ToString(CultureInfo.InvariantCulture); }
        catch (Exception e) { outside = e.GetType().Name; }
        return grid[5].ToString(CultureInfo.InvariantCulture) + " " + outside;
    }
}
