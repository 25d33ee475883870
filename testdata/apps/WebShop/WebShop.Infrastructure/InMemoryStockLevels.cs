using WebShop.Domain.Stock;

namespace WebShop.Infrastructure;

/// <summary>The warehouse's stock, held in memory (the warehouse system's API in a real shop).</summary>
public sealed class InMemoryStockLevels : IStockLevels
{
    private readonly IReadOnlyList<StockLevel> _levels;

    public InMemoryStockLevels(IEnumerable<StockLevel> levels)
    {
        _levels = levels.ToList();
    }

    public static InMemoryStockLevels CreateDefault() => new(new[]
    {
        new StockLevel("MUG-001", 40, 10),
        new StockLevel("MUG-002", 10, 10),
        new StockLevel("PAN-001", 3, 5),
        new StockLevel("KNF-001", 12, 4),
        new StockLevel("BOOK-001", 6, 6),
        new StockLevel("BOOK-002", 2, 3),
        new StockLevel("LAMP-01", 25, 5),
        new StockLevel("RUG-001", 1, 1),
    });

    public IReadOnlyList<StockLevel> Current() => _levels;
}
