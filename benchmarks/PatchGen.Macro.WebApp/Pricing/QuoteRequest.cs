namespace PatchGen.Macro.WebApp.Pricing;

/// <summary>The body of POST /api/quotes.</summary>
public sealed record QuoteRequest(IReadOnlyList<QuoteRequestLine> Lines, string? Coupon);
