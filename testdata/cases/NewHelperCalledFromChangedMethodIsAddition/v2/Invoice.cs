using System;

namespace Cases;

public class Invoice
{
    public decimal Net { get; set; }

    public decimal Gross(decimal rate)
    {
        return RoundToCents(Net * (1 + rate));
    }

    private static decimal RoundToCents(decimal value)
    {
        return Math.Round(value, 2, MidpointRounding.AwayFromZero);
    }
}
