using System.Globalization;

namespace Cases;

public class Parser
{
    public int Parse(string text)
    {
        return int.Parse(text, Options.Style, CultureInfo.InvariantCulture);
    }

    private static class Options
    {
        public static NumberStyles Style => NumberStyles.AllowThousands;
    }
}
