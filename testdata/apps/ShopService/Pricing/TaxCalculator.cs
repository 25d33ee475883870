using ShopService.Domain;

namespace ShopService.Pricing;

/// <summary>Sales tax: each line is taxed at its product's rate, on what the customer actually pays for it.</summary>
public sealed class TaxCalculator
{
    public const decimal StandardRate = 0.20m;

    public const decimal ReducedRate = 0.05m;

    public static decimal RateFor(TaxCategory category) => category switch
    {
        TaxCategory.Standard => StandardRate,
        TaxCategory.Reduced => StandardRate,
        TaxCategory.Exempt => 0m,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "no tax rate"),
    };

    public decimal Tax(IReadOnlyList<PricedLine> lines, decimal discount)
    {
        decimal subtotal = 0;
        foreach (var line in lines)
            subtotal += line.Amount;
        if (subtotal == 0)
            return 0;

        decimal tax = 0;
        foreach (var line in lines)
        {
            // The order discount is shared across lines in proportion to their amounts, so that a
            // coupon lowers the tax of the lines it pays for and not only of the first one.
            decimal share = discount * line.Amount / subtotal;
            tax += Math.Round((line.Amount - share) * RateFor(line.Product.Tax), 2, MidpointRounding.AwayFromZero);
        }
        return tax;
    }
}
