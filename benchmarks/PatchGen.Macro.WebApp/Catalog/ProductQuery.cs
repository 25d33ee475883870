namespace PatchGen.Macro.WebApp.Catalog;

/// <summary>A search of the catalogue: optional filters, a sort key (name, price, rating) and a page.</summary>
public sealed record ProductQuery(string? Category, decimal? MaxPrice, string Sort, int Page, int PageSize);
