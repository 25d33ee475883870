using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;

namespace Cases;

public static class SkuValidator
{
    private static readonly List<string> Prefixes = new();
    private static readonly Regex Pattern = new("^[A-Z]{2}[0-9]{4}$", RegexOptions.CultureInvariant);
    private static readonly Dictionary<string, bool> Checked = new(System.StringComparer.Ordinal);
    private static int _rejected;

    static SkuValidator()
    {
        Prefixes.Add("AB");
        Prefixes.Add("CD");
    }

    public static bool IsValid(string sku)
    {
        lock (Checked)
        {
            if (Checked.TryGetValue(sku, out var known))
                return known;
        }
        bool valid = false;
        if (Pattern.IsMatch(sku))
        {
            foreach (var prefix in Prefixes)
            {
                if (sku.StartsWith(prefix, System.StringComparison.Ordinal))
                    valid = true;
            }
        }
        if (!valid)
            Interlocked.Increment(ref _rejected);
        lock (Checked)
            Checked[sku] = valid;
        return valid;
    }

    public static string Stats()
    {
        lock (Checked)
            return "rejected: " + Volatile.Read(ref _rejected) + ", checked: " + Checked.Count;
    }
}
