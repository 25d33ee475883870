using PatchGen.Macro.WebApp.Catalog;

namespace PatchGen.Macro.WebApp.Pricing;

/// <summary>
/// Prices a cart: catalogue lookups, a volume discount per line (5 % from 5 units, 10 % from 20), a coupon on the
/// order, tax by category on what is actually paid, money rounded to the cent.
/// </summary>
public sealed class QuoteCalculator(ProductCatalog catalog)
{
    private static readonly Dictionary<string, decimal> TaxRates = new(StringComparer.Ordinal)
    {
        ["books"] = 0.055m,
        ["grocery"] = 0.055m,
    };

    private const decimal StandardTaxRate = 0.20m;

    public Quote? Quote(QuoteRequest request)
    {
        if (request.Lines is null || request.Lines.Count == 0)
            return null;
        var notes = new List<string>();
        var priced = new List<(Product Product, int Quantity, decimal Gross, decimal Discount)>();
        foreach (var line in request.Lines)
        {
            if (line.Quantity <= 0 || catalog.Find(line.Sku) is not { } product)
                return null;
            decimal gross = product.Price * line.Quantity;
            decimal rate = VolumeDiscountRate(line.Quantity);
            if (rate > 0)
                notes.Add($"{product.Sku}: {rate:P0} volume discount");
            priced.Add((product, line.Quantity, gross, Cents(gross * rate)));
        }

        decimal subtotal = priced.Sum(p => p.Gross - p.Discount);
        decimal coupon = CouponAmount(request.Coupon, subtotal);
        if (coupon > 0)
            notes.Add($"coupon {request.Coupon}: -{coupon}");

        var lines = new List<QuoteLine>();
        foreach (var (product, quantity, gross, discount) in priced)
        {
            // The coupon is shared across lines in proportion to what each costs, so it lowers their tax too.
            decimal share = subtotal == 0 ? 0 : coupon * (gross - discount) / subtotal;
            decimal taxable = gross - discount - share;
            decimal tax = Cents(taxable * TaxRate(product.Category));
            lines.Add(new QuoteLine(product.Sku, product.Name, quantity, product.Price, Cents(discount + share), tax, Cents(taxable + tax)));
        }
        decimal taxTotal = lines.Sum(l => l.Tax);
        decimal discountTotal = priced.Sum(p => p.Discount) + coupon;
        return new Quote(lines, priced.Sum(p => p.Gross), discountTotal, taxTotal, lines.Sum(l => l.Total), notes);
    }

    private static decimal VolumeDiscountRate(int quantity) => quantity >= 20 ? 0.10m : quantity >= 5 ? 0.05m : 0m;

    private static decimal CouponAmount(string? coupon, decimal subtotal) => coupon switch
    {
        "SAVE10" => Cents(subtotal * 0.10m),
        "FIVEOFF" when subtotal >= 50 => 5m,
        _ => 0m,
    };

    private static decimal TaxRate(string category) => TaxRates.GetValueOrDefault(category, StandardTaxRate);

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
