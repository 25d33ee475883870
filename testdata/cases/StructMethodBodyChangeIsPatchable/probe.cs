// Temperature.ToFahrenheit in floating point: c * 9 / 5 + 32 in v1, c * 1.8 + 32 in v2; they round
// differently for 37.7 (99.86 vs 99.86000000000001).
using System.Globalization;

public static class Probe
{
    public static string Run()
        => new Cases.Temperature(37.7).ToFahrenheit().ToString("R", CultureInfo.InvariantCulture) + " "
            + new Cases.Temperature(100).ToFahrenheit().ToString("R", CultureInfo.InvariantCulture);
}
