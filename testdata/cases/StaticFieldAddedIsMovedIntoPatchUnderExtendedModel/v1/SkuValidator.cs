using System.Collections.Generic;

namespace Cases;

public static class SkuValidator
{
    private static readonly List<string> Prefixes = new();

    static SkuValidator()
    {
        Prefixes.Add("AB");
        Prefixes.Add("CD");
    }

    public static bool IsValid(string sku)
    {
        if (sku.Length != 6)
            return false;
        foreach (var prefix in Prefixes)
        {
            if (sku.StartsWith(prefix, System.StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    public static string Stats() => "stats: none";
}
