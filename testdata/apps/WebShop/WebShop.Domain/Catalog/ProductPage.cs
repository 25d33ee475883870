namespace WebShop.Domain.Catalog;

/// <summary>One page of a product listing; <see cref="Page"/> counts from 1.</summary>
public sealed record ProductPage(int Page, int PageSize, int Total, IReadOnlyList<Product> Items);
