using ShopService.Domain;

namespace ShopService.Pricing;

/// <summary>A cart line with its product looked up and its gross amount (unit price times quantity).</summary>
public sealed record PricedLine(Product Product, int Quantity, decimal Amount);
