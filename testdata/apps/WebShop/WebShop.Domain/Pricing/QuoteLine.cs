namespace WebShop.Domain.Pricing;

/// <summary>One line of a cart: a SKU and how many units.</summary>
public sealed record QuoteLine(string Sku, int Quantity);
