namespace PatchGen.Macro.WebApp.Pricing;

public sealed record Quote(IReadOnlyList<QuoteLine> Lines, decimal Subtotal, decimal Discount, decimal Tax, decimal Total, IReadOnlyList<string> Notes);
