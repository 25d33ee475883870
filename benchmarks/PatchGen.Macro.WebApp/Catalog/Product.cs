namespace PatchGen.Macro.WebApp.Catalog;

/// <summary>A product of the catalogue, as the API returns it.</summary>
public sealed record Product(string Sku, string Name, string Category, decimal Price, int Stock, double Rating, IReadOnlyList<string> Tags);
