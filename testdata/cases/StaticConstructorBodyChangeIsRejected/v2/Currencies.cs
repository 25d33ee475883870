using System.Collections.Generic;

namespace Cases;

public static class Currencies
{
    private static readonly Dictionary<string, int> Decimals;

    static Currencies()
    {
        Decimals = new Dictionary<string, int>();
        Decimals["EUR"] = 2;
        Decimals["JPY"] = 0;
        Decimals["KWD"] = 3;
    }

    public static int DecimalsOf(string code) => Decimals.TryGetValue(code, out var d) ? d : 2;
}
