using System.Globalization;

namespace PatchGen.Macro.WebApp.Catalog;

/// <summary>
/// An in-memory catalogue of 240 generated products (the same every start, so every server answers every
/// request identically): search with filters, sorting and paging, lookup by SKU, per-category figures.
/// </summary>
public sealed class ProductCatalog
{
    private static readonly string[] Categories = ["books", "electronics", "garden", "grocery", "kitchen", "office", "sports", "toys"];
    private static readonly string[] Adjectives = ["Compact", "Deluxe", "Classic", "Eco", "Smart", "Rugged", "Mini", "Pro"];
    private static readonly string[] Nouns = ["Lamp", "Kettle", "Notebook", "Speaker", "Backpack", "Planter", "Puzzle", "Bottle", "Charger", "Blender"];

    private readonly List<Product> _products;
    private readonly Dictionary<string, Product> _bySku;

    public ProductCatalog()
    {
        var random = new Random(42);
        _products = Enumerable.Range(1, 240).Select(i =>
        {
            var category = Categories[i % Categories.Length];
            return new Product(
                $"{category[..3].ToUpperInvariant()}-{i:0000}",
                $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]} {i}",
                category,
                Math.Round((decimal)(2 + (random.NextDouble() * 300)), 2),
                random.Next(0, 500),
                Math.Round(1 + (random.NextDouble() * 4), 2),
                i % 3 == 0 ? ["sale", category] : [category]);
        }).ToList();
        _bySku = _products.ToDictionary(p => p.Sku, StringComparer.OrdinalIgnoreCase);
    }

    public Product? Find(string sku) => _bySku.GetValueOrDefault(sku);

    public ProductPage Search(ProductQuery query)
    {
        IEnumerable<Product> matches = _products;
        if (!string.IsNullOrEmpty(query.Category))
            matches = matches.Where(p => string.Equals(p.Category, query.Category, StringComparison.OrdinalIgnoreCase));
        if (query.MaxPrice is decimal max)
            matches = matches.Where(p => p.Price <= max);
        matches = query.Sort switch
        {
            "price" => matches.OrderBy(p => p.Price).ThenBy(p => p.Sku, StringComparer.Ordinal),
            "rating" => matches.OrderByDescending(p => p.Rating).ThenBy(p => p.Sku, StringComparer.Ordinal),
            _ => matches.OrderBy(p => p.Name, StringComparer.Ordinal),
        };
        var all = matches.ToList();
        int pageSize = Math.Clamp(query.PageSize, 1, 100);
        int page = Math.Max(1, query.Page);
        return new ProductPage(all.Count, page, pageSize, all.Skip((page - 1) * pageSize).Take(pageSize).ToList());
    }

    public IReadOnlyList<CategorySummary> Summaries()
        => _products
            .GroupBy(p => p.Category)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CategorySummary(
                g.Key,
                g.Count(),
                Math.Round(g.Average(p => p.Price), 2),
                g.Sum(p => p.Price * p.Stock),
                Math.Round(g.Average(p => p.Rating), 3),
                g.OrderByDescending(p => p.Rating).ThenBy(p => p.Sku, StringComparer.Ordinal).Take(3)
                    .Select(p => p.Name + " (" + p.Rating.ToString("0.00", CultureInfo.InvariantCulture) + ")").ToList()))
            .ToList();
}
