public static class Probe
{
    public static string Run() => new Cases.Totals().Sum(new[] { 1, 2, 3 }, 10).ToString();
}
