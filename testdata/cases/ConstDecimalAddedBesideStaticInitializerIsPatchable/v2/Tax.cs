using System.Collections.Generic;

namespace Cases;

public static class Tax
{
    private const decimal DefaultRate = 0.21m;

    private static readonly Dictionary<string, decimal> Rates = new() { ["DE"] = 0.19m, ["FR"] = 0.20m };

    public static decimal Gross(string country, decimal net) => net * (1 + (Rates.TryGetValue(country, out var rate) ? rate : DefaultRate));
}
