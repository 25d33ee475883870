namespace ShopService.Pricing;

public enum CouponKind
{
    /// <summary><see cref="Coupon.Value"/> percent off the eligible amount.</summary>
    Percent,

    /// <summary><see cref="Coupon.Value"/> off the eligible amount, never below zero.</summary>
    Fixed,
}

/// <summary>A coupon code; when <see cref="Category"/> is set, only that category's lines are eligible.</summary>
public sealed record Coupon(string Code, CouponKind Kind, decimal Value, string? Category = null);
