using System.Collections.Generic;

namespace Cases;

public class Catalog
{
    private readonly Dictionary<int, string> _names = new();

    public string this[long sku] => _names.TryGetValue((int)sku, out var name) ? name : "";
}
