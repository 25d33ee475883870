using ShopService.Pricing;

namespace ShopService.Orders;

/// <summary>A placed order: its number, what it cost and when.</summary>
public sealed record Order(long Id, Quote Quote, DateTimeOffset PlacedAt);
