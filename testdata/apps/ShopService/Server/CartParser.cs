using System.Globalization;
using System.Text.Json;
using ShopService.Domain;

namespace ShopService.Server;

/// <summary>
/// Reads a cart from a request argument, either JSON
/// (<c>{"lines":[{"sku":"MUG-001","qty":2}],"coupon":"SAVE10","requestId":"r1"}</c>) or the
/// shorthand <c>MUG-001:2,BOOK-001:1 coupon=SAVE10 id=r1</c> that is easier to type into netcat.
/// </summary>
public static class CartParser
{
    public static Cart Parse(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
            throw new ShopException("bad-request", "missing cart");
        return text[0] == '{' ? ParseJson(text) : ParseShorthand(text);
    }

    private static Cart ParseJson(string text)
    {
        var cart = new Cart();
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("lines", out var lines))
            {
                foreach (var line in lines.EnumerateArray())
                    cart.Add(line.GetProperty("sku").GetString() ?? "", line.GetProperty("qty").GetInt32());
            }
            if (root.TryGetProperty("coupon", out var coupon) && coupon.ValueKind == JsonValueKind.String)
                cart.Coupon = coupon.GetString();
            if (root.TryGetProperty("requestId", out var requestId) && requestId.ValueKind == JsonValueKind.String)
                cart.RequestId = requestId.GetString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ShopException("bad-request", "malformed cart JSON: " + e.Message);
        }
        return cart;
    }

    private static Cart ParseShorthand(string text)
    {
        var cart = new Cart();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.StartsWith("coupon=", StringComparison.OrdinalIgnoreCase))
            {
                cart.Coupon = token["coupon=".Length..];
                continue;
            }
            if (token.StartsWith("id=", StringComparison.OrdinalIgnoreCase))
            {
                cart.RequestId = token["id=".Length..];
                continue;
            }
            foreach (var item in token.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int colon = item.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(item.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int qty))
                    throw new ShopException("bad-request", $"expected SKU:QTY, got '{item}'");
                cart.Add(item[..colon], qty);
            }
        }
        return cart;
    }
}
