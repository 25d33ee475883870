namespace PatchGen.Macro.WebApp.Catalog;

/// <summary>Figures of one category for the reports controller.</summary>
public sealed record CategorySummary(string Category, int Products, decimal AveragePrice, decimal StockValue, double AverageRating, IReadOnlyList<string> TopRated);
