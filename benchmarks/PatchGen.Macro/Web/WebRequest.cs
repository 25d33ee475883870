namespace PatchGen.Macro.Web;

/// <summary>One request of the load's mix: method, path and query, and a JSON body for POST.</summary>
internal sealed record WebRequest(HttpMethod Method, string PathAndQuery, string? JsonBody = null)
{
    /// <summary>
    /// What the load sends, in turn: catalogue searches (filter, sort, page), a lookup, two quotes (POST with
    /// JSON, lookups, discounts, coupon, tax), both report actions of the MVC controller, and the health check.
    /// </summary>
    public static IReadOnlyList<WebRequest> Mix { get; } =
    [
        new(HttpMethod.Get, "/api/products?category=books&sort=price&pageSize=10"),
        new(HttpMethod.Get, "/api/products?maxPrice=50&sort=rating&page=2&pageSize=20"),
        new(HttpMethod.Get, "/api/products/ELE-0001"),
        new(HttpMethod.Post, "/api/quotes", """{"lines":[{"sku":"BOO-0008","quantity":6},{"sku":"ELE-0001","quantity":1},{"sku":"GAR-0002","quantity":2}]}"""),
        new(HttpMethod.Post, "/api/quotes", """{"lines":[{"sku":"KIT-0004","quantity":25},{"sku":"OFF-0005","quantity":1},{"sku":"SPO-0006","quantity":3},{"sku":"TOY-0007","quantity":1},{"sku":"GRO-0003","quantity":8}],"coupon":"SAVE10"}"""),
        new(HttpMethod.Get, "/reports/categories"),
        new(HttpMethod.Get, "/reports/categories/garden"),
        new(HttpMethod.Get, "/health"),
    ];

    public HttpRequestMessage ToMessage(Uri baseAddress)
    {
        var message = new HttpRequestMessage(Method, new Uri(baseAddress, PathAndQuery));
        if (JsonBody is not null)
            message.Content = new StringContent(JsonBody, System.Text.Encoding.UTF8, "application/json");
        return message;
    }

    public override string ToString() => $"{Method} {PathAndQuery}";
}
