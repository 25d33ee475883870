// The strings made by the inner lambda of Build: plain ToString() in v1 ("3000"), "N0" with group
// separators in v2 ("3,000"); formatted under the invariant culture.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var format = new Cases.Pipeline().Build(3);
            return string.Join("|", format(new[] { 2, 1000, 123456 }));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
