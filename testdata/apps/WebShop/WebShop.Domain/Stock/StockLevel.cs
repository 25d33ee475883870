namespace WebShop.Domain.Stock;

/// <summary>Units of a SKU on the shelf, and the level at which it must be reordered.</summary>
public sealed record StockLevel(string Sku, int OnHand, int ReorderPoint);
