namespace WebShop.Domain.Pricing;

/// <summary>A coupon code and the percentage it takes off the goods.</summary>
public sealed record Coupon(string Code, decimal Percent);
