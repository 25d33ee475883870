using System;
using System.Linq;

namespace Cases;

/// <summary>Discount rules.</summary>
public class Discounts
{
    /// <summary>
    /// Loyal customers (more than three years) get 5%.
    /// </summary>
    /// <remarks>See ticket 4711 for the history of this rule.</remarks>
    public decimal Apply(decimal total, int years)
    {
        // Years are whole years since the first order.
        var rate = years > 3 ? 0.05m : 0m;
        /* The rate is applied to the gross total. */
        return total - total * rate;
    }

    public Func<decimal, decimal> Rounder(int digits)
    {
        // Banker's rounding, like the ledger.
        return d => Math.Round(d, digits); // digits: 0..4
    }

    // The three largest totals.
    public decimal[] Top(decimal[] totals) => totals.OrderByDescending(t => t).Take(3).ToArray();
}
