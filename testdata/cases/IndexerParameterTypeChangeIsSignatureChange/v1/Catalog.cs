using System.Collections.Generic;

namespace Cases;

public class Catalog
{
    private readonly Dictionary<int, string> _names = new();

    public string this[int sku] => _names.TryGetValue(sku, out var name) ? name : "";
}
