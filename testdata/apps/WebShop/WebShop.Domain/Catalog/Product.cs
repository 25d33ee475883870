namespace WebShop.Domain.Catalog;

/// <summary>A product of the catalogue; prices in euros, weights in kilograms.</summary>
public sealed record Product(string Sku, string Name, string Category, decimal Price, decimal WeightKg);
