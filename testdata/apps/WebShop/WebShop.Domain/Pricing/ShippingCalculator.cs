namespace WebShop.Domain.Pricing;

/// <summary>
/// Shipping: free from <see cref="FreeShippingFrom"/> euros of goods (after discount), otherwise a
/// flat fee plus a charge per started kilogram.
/// </summary>
public sealed class ShippingCalculator
{
    public const decimal FreeShippingFrom = 50m;

    public const decimal FlatFee = 4.90m;

    public const decimal PerKilogram = 0.80m;

    public decimal Cost(decimal goods, decimal weightKg)
    {
        if (goods > FreeShippingFrom)
            return 0m;
        return FlatFee + PerKilogram * Math.Ceiling(weightKg);
    }
}
