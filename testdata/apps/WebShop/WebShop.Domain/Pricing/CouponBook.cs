namespace WebShop.Domain.Pricing;

/// <summary>The coupons on offer this season.</summary>
public sealed class CouponBook
{
    private readonly IReadOnlyList<Coupon> _coupons;

    public CouponBook(IEnumerable<Coupon> coupons)
    {
        _coupons = coupons.ToList();
    }

    public static CouponBook CreateDefault() => new(new[]
    {
        new Coupon("SAVE10", 10m),
        new Coupon("WELCOME5", 5m),
    });

    /// <summary>The coupon with this code, or null.</summary>
    public Coupon? Find(string code)
    {
        foreach (var coupon in _coupons)
        {
            if (string.Equals(coupon.Code, code, StringComparison.Ordinal))
                return coupon;
        }
        return null;
    }
}
