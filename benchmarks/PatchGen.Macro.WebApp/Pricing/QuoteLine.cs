namespace PatchGen.Macro.WebApp.Pricing;

/// <summary>One priced line of a quote.</summary>
public sealed record QuoteLine(string Sku, string Name, int Quantity, decimal UnitPrice, decimal Discount, decimal Tax, decimal Total);
