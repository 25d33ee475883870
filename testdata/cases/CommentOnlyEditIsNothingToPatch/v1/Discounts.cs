using System;
using System.Linq;

namespace Cases;

public class Discounts
{
    // Loyal customers get 5%.
    public decimal Apply(decimal total, int years)
    {
        var rate = years > 3 ? 0.05m : 0m;
        return total - total * rate;
    }

    public Func<decimal, decimal> Rounder(int digits)
    {
        return d => Math.Round(d, digits);
    }

    public decimal[] Top(decimal[] totals) => totals.OrderByDescending(t => t).Take(3).ToArray();
}
