namespace PatchGen.Macro.WebApp.Catalog;

/// <summary>One page of search results and the size of the whole result.</summary>
public sealed record ProductPage(int Total, int Page, int PageSize, IReadOnlyList<Product> Items);
