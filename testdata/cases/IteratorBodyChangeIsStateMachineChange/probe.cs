// Materializes Evens(6) and Evens(1): v2 starts at 2 instead of 0.
public static class Probe
{
    public static string Run() => string.Join(",", Cases.Numbers.Evens(6)) + " | " + string.Join(",", Cases.Numbers.Evens(1));
}
