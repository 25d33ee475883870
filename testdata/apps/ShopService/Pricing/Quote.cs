namespace ShopService.Pricing;

/// <summary>
/// The price of a cart: <see cref="Total"/> = <see cref="Subtotal"/> - <see cref="Discount"/> + <see cref="Tax"/>.
/// <see cref="Adjustments"/> explains the discount, one entry per rule that fired.
/// </summary>
public sealed record Quote(
    IReadOnlyList<PricedLine> Lines,
    decimal Subtotal,
    decimal Discount,
    decimal Tax,
    decimal Total,
    IReadOnlyList<string> Adjustments);
