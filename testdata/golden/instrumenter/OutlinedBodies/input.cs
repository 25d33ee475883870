// Outlined bodies (site format 5): a method over 128 bytes of IL keeps its site, its body moves into a site-less
// clone that its own body calls; direct calls keep naming the method; a virtual method is not outlined.
using System;
using System.Collections.Generic;

namespace Golden;

public class Ledger
{
    private readonly List<decimal> _entries = new();

    private static decimal Round(decimal value) => Math.Round(value, 2);

    // Large, instance, with a handler and locals: outlined.
    public string Summarize(string title, decimal limit)
    {
        decimal total = 0, largest = 0;
        int over = 0;
        foreach (var entry in _entries)
        {
            total += Round(entry);
            if (entry > largest)
                largest = entry;
            if (entry > limit)
                over++;
        }
        try
        {
            return title + ": " + total.ToString("0.00") + " (" + _entries.Count + " entries, largest " + largest + ", " + over + " over " + limit + ")";
        }
        catch (FormatException)
        {
            return title + ": ?";
        }
    }

    // Calls the outlined method directly: the call names Summarize, not its clone.
    public string Report() => Summarize("report", 100m);

    // Large but virtual: keeps today's site.
    public virtual string Describe(decimal limit)
    {
        var parts = new List<string>();
        foreach (var entry in _entries)
            parts.Add(entry > limit ? "+" + entry.ToString("0.00") : entry.ToString("0.00"));
        parts.Sort(StringComparer.Ordinal);
        return string.Join(",", parts) + ";" + parts.Count + ";" + limit + ";" + (parts.Count > 0 ? parts[0] : "none") + ";" + _entries.Count;
    }
}
