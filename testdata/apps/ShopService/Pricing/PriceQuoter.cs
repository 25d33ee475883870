using ShopService.Domain;

namespace ShopService.Pricing;

/// <summary>Prices a cart: looks products up, applies discounts, then tax.</summary>
public sealed class PriceQuoter
{
    private readonly Catalog _catalog;
    private readonly DiscountEngine _discounts;
    private readonly TaxCalculator _tax;

    public PriceQuoter(Catalog catalog, DiscountEngine discounts, TaxCalculator tax)
    {
        _catalog = catalog;
        _discounts = discounts;
        _tax = tax;
    }

    public Quote Quote(Cart cart)
    {
        if (cart.Lines.Count == 0)
            throw new ShopException("bad-request", "the cart is empty");

        var lines = new List<PricedLine>(cart.Lines.Count);
        foreach (var line in cart.Lines)
            lines.Add(Price(line));

        decimal subtotal = 0;
        foreach (var line in lines)
            subtotal += line.Amount;

        var adjustments = new List<string>();
        decimal discount = _discounts.Discount(lines, cart.Coupon, adjustments);
        decimal tax = _tax.Tax(lines, discount);
        return new Quote(lines, subtotal, discount, tax, subtotal - discount + tax, adjustments);
    }

    private PricedLine Price(CartLine line)
    {
        var product = _catalog.Get(line.Sku);
        return new PricedLine(product, line.Quantity, product.UnitPrice * line.Quantity);
    }
}
