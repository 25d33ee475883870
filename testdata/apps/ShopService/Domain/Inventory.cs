namespace ShopService.Domain;

/// <summary>
/// Units on hand per SKU. Shared by every connection, so every access takes the lock; a
/// reservation of several lines is all-or-nothing so that a failed order leaves stock untouched.
/// </summary>
public sealed class Inventory
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _onHand = new(StringComparer.OrdinalIgnoreCase);

    public Inventory(IEnumerable<KeyValuePair<string, int>> stock)
    {
        foreach (var (sku, units) in stock)
            _onHand[sku] = units;
    }

    public int OnHand(string sku)
    {
        lock (_gate)
            return _onHand.TryGetValue(sku, out var units) ? units : 0;
    }

    /// <summary>True when <paramref name="quantity"/> units of <paramref name="sku"/> can be sold now.</summary>
    public bool CanReserve(string sku, int quantity)
    {
        lock (_gate)
            return _onHand.TryGetValue(sku, out var units) && units > quantity;
    }

    /// <summary>Takes stock for every line, or for none: returns the first SKU that is short, or null.</summary>
    public string? TryReserve(IReadOnlyList<CartLine> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines)
            {
                if (!CanReserve(line.Sku, line.Quantity))
                    return line.Sku;
            }
            foreach (var line in lines)
                _onHand[line.Sku] -= line.Quantity;
            return null;
        }
    }

    public void Restock(string sku, int units)
    {
        if (units <= 0)
            throw new ShopException("bad-request", "restock needs a positive number of units");
        lock (_gate)
            _onHand[sku] = (_onHand.TryGetValue(sku, out var current) ? current : 0) + units;
    }

    public static Inventory CreateDefault(Catalog catalog)
        => new(catalog.Products.Select(p => new KeyValuePair<string, int>(p.Sku, p.Category == "gift" ? 1000 : 25)));
}
