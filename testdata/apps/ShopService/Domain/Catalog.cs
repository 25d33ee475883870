namespace ShopService.Domain;

/// <summary>The products the shop sells, keyed by SKU. Read-only once built, so it needs no locking.</summary>
public sealed class Catalog
{
    private readonly Dictionary<string, Product> _products;

    public Catalog(IEnumerable<Product> products)
    {
        _products = new Dictionary<string, Product>(StringComparer.OrdinalIgnoreCase);
        foreach (var product in products)
            _products.Add(product.Sku, product);
    }

    public IReadOnlyCollection<Product> Products => _products.Values;

    public bool TryGet(string sku, out Product product)
    {
        if (_products.TryGetValue(sku, out var found))
        {
            product = found;
            return true;
        }
        product = null!;
        return false;
    }

    public Product Get(string sku)
        => TryGet(sku, out var product) ? product : throw new ShopException("unknown-sku", $"unknown SKU '{sku}'");

    /// <summary>The demo assortment: a mix of categories and tax classes so every pricing rule has work to do.</summary>
    public static Catalog CreateDefault() => new(new[]
    {
        new Product("BOOK-001", "The Pragmatic Patcher", "books", 24.99m, TaxCategory.Reduced),
        new Product("BOOK-002", "Hot Reload in Anger", "books", 31.50m, TaxCategory.Reduced),
        new Product("MUG-001", "PatchGen mug", "merch", 12.34m, TaxCategory.Standard),
        new Product("TEE-001", "Zero-downtime T-shirt", "merch", 19.95m, TaxCategory.Standard),
        new Product("CABLE-01", "USB-C cable", "electronics", 8.49m, TaxCategory.Standard),
        new Product("KBD-001", "Mechanical keyboard", "electronics", 129.00m, TaxCategory.Standard),
        new Product("GIFT-025", "Gift card 25", "gift", 25.00m, TaxCategory.Exempt),
        new Product("COFFEE-1", "Coffee beans 1kg", "grocery", 17.80m, TaxCategory.Reduced),
    });
}
