using WebShop.Domain.Catalog;

namespace WebShop.Infrastructure;

/// <summary>The catalogue, held in memory (a database in a real shop), ordered by SKU.</summary>
public sealed class InMemoryProductCatalog : IProductCatalog
{
    private readonly IReadOnlyList<Product> _products;
    private readonly Dictionary<string, Product> _bySku;

    public InMemoryProductCatalog(IEnumerable<Product> products)
    {
        _products = products.OrderBy(p => p.Sku, StringComparer.Ordinal).ToList();
        _bySku = _products.ToDictionary(p => p.Sku, StringComparer.OrdinalIgnoreCase);
    }

    public static InMemoryProductCatalog CreateDefault() => new(new[]
    {
        new Product("MUG-001", "Enamel Mug", "kitchen", 12.50m, 0.35m),
        new Product("MUG-002", "Espresso Mug", "kitchen", 8.90m, 0.20m),
        new Product("PAN-001", "Cast Iron Pan", "kitchen", 39.00m, 2.60m),
        new Product("KNF-001", "Chef Knife", "kitchen", 45.00m, 0.30m),
        new Product("BOOK-001", "Sourdough Handbook", "books", 24.00m, 0.70m),
        new Product("BOOK-002", "Coffee Atlas", "books", 31.50m, 1.10m),
        new Product("LAMP-01", "Desk Lamp", "home", 29.90m, 1.40m),
        new Product("RUG-001", "Wool Rug", "home", 89.00m, 3.80m),
    });

    public Product? Find(string sku) => _bySku.GetValueOrDefault(sku);

    public IReadOnlyList<Product> All(string? category)
        => category is null ? _products : _products.Where(p => string.Equals(p.Category, category, StringComparison.OrdinalIgnoreCase)).ToList();

    public IReadOnlyList<Product> Search(string term)
    {
        var found = new List<Product>();
        foreach (var product in _products)
        {
            if (product.Name.Contains(term, StringComparison.Ordinal))
                found.Add(product);
        }
        return found;
    }
}
