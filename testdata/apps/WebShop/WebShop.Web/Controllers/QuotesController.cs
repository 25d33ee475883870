using Microsoft.AspNetCore.Mvc;
using WebShop.Domain.Pricing;

namespace WebShop.Web.Controllers;

/// <summary><c>POST /api/quotes</c>: what a cart costs, coupon and shipping included.</summary>
[ApiController]
[Route("api/quotes")]
public sealed class QuotesController : ControllerBase
{
    private readonly PriceCalculator _prices;

    public QuotesController(PriceCalculator prices)
    {
        _prices = prices;
    }

    [HttpPost]
    public ActionResult<Quote> Post(QuoteRequest request)
    {
        if (request.Lines is not { Count: > 0 } lines)
            return BadRequest(new { error = "a quote needs at least one line" });
        return _prices.Quote(lines, request.Coupon) is { } quote
            ? quote
            : BadRequest(new { error = "unknown product or bad quantity" });
    }
}
