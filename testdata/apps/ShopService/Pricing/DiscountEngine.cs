using System.Globalization;
using ShopService.Domain;

namespace ShopService.Pricing;

/// <summary>
/// The shop's discount rules: a bulk discount on any line of <see cref="BulkThreshold"/> units or
/// more, then at most one coupon on what is left. Discounts never exceed the subtotal.
/// </summary>
public sealed class DiscountEngine
{
    /// <summary>Ten or more units of one SKU earn the bulk discount on that line.</summary>
    public const int BulkThreshold = 10;

    public const decimal BulkPercent = 5m;

    private readonly Dictionary<string, Coupon> _coupons;

    public DiscountEngine(IEnumerable<Coupon> coupons)
    {
        _coupons = coupons.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
    }

    public decimal Discount(IReadOnlyList<PricedLine> lines, string? couponCode, List<string> adjustments)
    {
        decimal subtotal = lines.Sum(l => l.Amount);

        decimal bulk = BulkDiscount(lines);
        if (bulk > 0)
            adjustments.Add("bulk -" + bulk.ToString("0.00", CultureInfo.InvariantCulture));

        decimal coupon = 0;
        if (!string.IsNullOrWhiteSpace(couponCode))
        {
            if (!_coupons.TryGetValue(couponCode.Trim(), out var found))
                throw new ShopException("bad-coupon", $"unknown coupon '{couponCode}'");
            coupon = CouponDiscount(lines, found, subtotal - bulk);
            adjustments.Add(found.Code + " -" + coupon.ToString("0.00", CultureInfo.InvariantCulture));
        }

        return Math.Min(subtotal, bulk + coupon);
    }

    public decimal BulkDiscount(IReadOnlyList<PricedLine> lines)
    {
        decimal eligible = lines.Where(l => l.Quantity > BulkThreshold).Sum(l => l.Amount);
        return Percent(eligible, BulkPercent);
    }

    /// <summary>The coupon's discount; <paramref name="remaining"/> caps it at what is left to pay.</summary>
    public decimal CouponDiscount(IReadOnlyList<PricedLine> lines, Coupon coupon, decimal remaining)
    {
        decimal eligible = coupon.Category is null
            ? remaining
            : Math.Min(remaining, lines.Where(l => l.Product.Category == coupon.Category).Sum(l => l.Amount));

        decimal discount = coupon.Kind switch
        {
            CouponKind.Percent => Percent(eligible, coupon.Value),
            CouponKind.Fixed => Math.Min(eligible, coupon.Value),
            _ => throw new InvalidOperationException("unknown coupon kind " + coupon.Kind),
        };
        return Math.Max(0, discount);
    }

    /// <summary>Money is kept to the cent.</summary>
    public static decimal Percent(decimal amount, decimal percent)
        => Math.Round(amount * percent / 100m);

    public static DiscountEngine CreateDefault() => new(new[]
    {
        new Coupon("SAVE10", CouponKind.Percent, 10m),
        new Coupon("BOOKS15", CouponKind.Percent, 15m, "books"),
        new Coupon("WELCOME5", CouponKind.Fixed, 5m),
    });
}
