using WebShop.Domain.Catalog;

namespace WebShop.Domain.Pricing;

/// <summary>Prices a cart: goods from the catalogue, at most one coupon, then shipping.</summary>
public sealed class PriceCalculator
{
    private readonly IProductCatalog _catalog;
    private readonly CouponBook _coupons;
    private readonly ShippingCalculator _shipping;

    public PriceCalculator(IProductCatalog catalog, CouponBook coupons, ShippingCalculator shipping)
    {
        _catalog = catalog;
        _coupons = coupons;
        _shipping = shipping;
    }

    /// <summary>The quote, or null when a SKU is unknown or a quantity is not positive.</summary>
    public Quote? Quote(IReadOnlyList<QuoteLine> lines, string? couponCode)
    {
        decimal subtotal = 0m, weight = 0m;
        foreach (var line in lines)
        {
            if (line.Quantity <= 0 || _catalog.Find(line.Sku) is not { } product)
                return null;
            subtotal += product.Price * line.Quantity;
            weight += product.WeightKg * line.Quantity;
        }
        decimal discount = 0m;
        if (couponCode is not null && _coupons.Find(couponCode) is { } coupon)
            discount = Math.Round(subtotal * coupon.Percent / 100m, 2, MidpointRounding.AwayFromZero);
        decimal goods = subtotal - discount;
        decimal shipping = _shipping.Cost(goods, weight);
        return new Quote(subtotal, discount, shipping, goods + shipping);
    }
}
