namespace WebShop.Domain.Stock;

/// <summary>Which SKUs must be reordered: those that have fallen to their reorder point.</summary>
public sealed class ReorderPolicy
{
    public IReadOnlyList<string> DueForReorder(IEnumerable<StockLevel> levels)
    {
        var due = new List<string>();
        foreach (var level in levels)
        {
            if (level.OnHand < level.ReorderPoint)
                due.Add(level.Sku);
        }
        due.Sort(StringComparer.Ordinal);
        return due;
    }
}
