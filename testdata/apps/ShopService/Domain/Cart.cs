namespace ShopService.Domain;

/// <summary>One line of a cart as the client sent it: a SKU and how many.</summary>
public sealed record CartLine(string Sku, int Quantity);

/// <summary>
/// What a client asks to price or buy. Carts are built per request and never shared between
/// threads, so they are plain mutable objects.
/// </summary>
public sealed class Cart
{
    private readonly List<CartLine> _lines = new();

    public IReadOnlyList<CartLine> Lines => _lines;

    /// <summary>A coupon code, or null.</summary>
    public string? Coupon { get; set; }

    /// <summary>The client's own ID for this request, so that a retried ORDER can be recognised.</summary>
    public string? RequestId { get; set; }

    public int TotalUnits => _lines.Sum(l => l.Quantity);

    public Cart Add(string sku, int quantity)
    {
        if (string.IsNullOrWhiteSpace(sku))
            throw new ShopException("bad-request", "a cart line needs a SKU");
        if (quantity < 0)
            throw new ShopException("bad-request", $"negative quantity for '{sku}'");
        _lines.Add(new CartLine(sku.Trim(), quantity));
        return this;
    }
}
