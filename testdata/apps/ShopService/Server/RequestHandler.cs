using System.Globalization;
using System.Text;
using System.Text.Json;
using ShopService.Domain;
using ShopService.Orders;
using ShopService.Pricing;

namespace ShopService.Server;

/// <summary>
/// The line protocol: one request line in, one response line out, <c>OK ...</c> or
/// <c>ERR code message</c>. Synchronous and free of I/O so that it can be driven without a socket.
/// </summary>
public sealed class RequestHandler
{
    private readonly Inventory _inventory;
    private readonly PriceQuoter _quoter;
    private readonly OrderProcessor _orders;

    public RequestHandler(Inventory inventory, PriceQuoter quoter, OrderProcessor orders)
    {
        _inventory = inventory;
        _quoter = quoter;
        _orders = orders;
    }

    public static RequestHandler CreateDefault()
    {
        var catalog = Catalog.CreateDefault();
        var inventory = Inventory.CreateDefault(catalog);
        var quoter = new PriceQuoter(catalog, DiscountEngine.CreateDefault(), new TaxCalculator());
        return new RequestHandler(inventory, quoter, new OrderProcessor(quoter, inventory));
    }

    public string Handle(string request)
    {
        string line = request.Trim();
        int space = line.IndexOf(' ');
        string verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        string argument = space < 0 ? "" : line[(space + 1)..];
        try
        {
            return verb switch
            {
                "PING" => "PONG",
                "QUOTE" => "OK " + QuoteJson(_quoter.Quote(CartParser.Parse(argument))),
                "ORDER" => "OK " + OrderJson(_orders.Place(CartParser.Parse(argument))),
                "STOCK" => "OK " + _inventory.OnHand(argument.Trim()).ToString(CultureInfo.InvariantCulture),
                "RESTOCK" => Restock(argument),
                "STATS" => Stats(),
                _ => $"ERR bad-request unknown command '{verb}'",
            };
        }
        catch (ShopException e)
        {
            return $"ERR {e.Code} {e.Message}";
        }
    }

    private string Restock(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int units))
            throw new ShopException("bad-request", "usage: RESTOCK sku units");
        _inventory.Restock(parts[0], units);
        return "OK " + _inventory.OnHand(parts[0]).ToString(CultureInfo.InvariantCulture);
    }

    private string Stats()
    {
        var (count, revenue) = _orders.Stats();
        return Json(w =>
        {
            w.WriteNumber("orders", count);
            w.WriteNumber("revenue", revenue);
        }, "OK ");
    }

    private static string QuoteJson(Quote quote) => Json(w =>
    {
        w.WriteNumber("subtotal", quote.Subtotal);
        w.WriteNumber("discount", quote.Discount);
        w.WriteNumber("tax", quote.Tax);
        w.WriteNumber("total", quote.Total);
        w.WriteStartArray("adjustments");
        foreach (var adjustment in quote.Adjustments)
            w.WriteStringValue(adjustment);
        w.WriteEndArray();
    });

    private static string OrderJson(Order order) => Json(w =>
    {
        w.WriteNumber("order", order.Id);
        w.WriteNumber("total", order.Quote.Total);
    });

    private static string Json(Action<Utf8JsonWriter> body, string prefix = "")
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return prefix + Encoding.UTF8.GetString(buffer.ToArray());
    }
}
