using WebShop.Domain.Pricing;

namespace WebShop.Web.Controllers;

/// <summary>The body of <c>POST /api/quotes</c>: <c>{"lines":[{"sku":"MUG-001","quantity":2}],"coupon":"SAVE10"}</c>.</summary>
public sealed record QuoteRequest(List<QuoteLine>? Lines, string? Coupon);
