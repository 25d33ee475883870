// Brackets returns an array initialized from static data; v2's last bracket is 125000 instead of 120000.
public static class Probe
{
    public static string Run() => string.Join(",", Cases.Tariffs.Brackets()) + " / " + string.Join(",", Cases.Tariffs.Rates());
}
