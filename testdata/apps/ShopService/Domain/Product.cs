namespace ShopService.Domain;

/// <summary>How a product is taxed; the rate for each lives in <see cref="Pricing.TaxCalculator"/>.</summary>
public enum TaxCategory
{
    Standard,
    Reduced,
    Exempt,
}

/// <summary>One sellable item. Prices are in the shop's single currency, with two decimals.</summary>
public sealed record Product(string Sku, string Name, string Category, decimal UnitPrice, TaxCategory Tax);
