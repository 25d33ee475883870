namespace WebShop.Domain.Pricing;

/// <summary>What a cart costs: goods, the coupon's discount, shipping, and the total to pay.</summary>
public sealed record Quote(decimal Subtotal, decimal Discount, decimal Shipping, decimal Total);
