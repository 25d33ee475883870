// Money + Money: v1 adds amounts whatever the currencies, v2 throws on a currency mismatch.
using System;
using System.Globalization;

public static class Probe
{
    public static string Run()
        => Add(new Cases.Money(1.5m, "EUR"), new Cases.Money(2m, "EUR")) + " " + Add(new Cases.Money(1.5m, "EUR"), new Cases.Money(2m, "USD"));

    private static string Add(Cases.Money a, Cases.Money b)
    {
        try
        {
            var sum = a + b;
            return sum.Amount.ToString(CultureInfo.InvariantCulture) + " " + sum.Currency;
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }
}
