using WebShop.Domain.Catalog;
using WebShop.Domain.Pricing;
using WebShop.Infrastructure;
using WebShop.Web.Background;
using WebShop.Web.Middleware;

// A small shop API: minimal API route handlers, one MVC controller (quotes), one middleware, and a
// BackgroundService, over the services of WebShop.Domain and WebShop.Infrastructure.
var builder = WebApplication.CreateBuilder(args);
// Request logging at Information would put console I/O on every request.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddWebShop();
builder.Services.AddSingleton<ReorderBoard>();
builder.Services.AddHostedService<ReorderMonitor>();
builder.Services.AddControllers();

var app = builder.Build();

app.UseMiddleware<RequestIdMiddleware>();

app.MapGet("/health", () => "ok");

app.MapGet("/api/products", (IProductCatalog catalog, string? category, int? page, int? pageSize) =>
{
    int size = Math.Clamp(pageSize ?? 10, 1, 50);
    int number = Math.Max(page ?? 1, 1);
    var all = catalog.All(category);
    var items = all.Skip(number * size).Take(size).ToList();
    return new ProductPage(number, size, all.Count, items);
});

app.MapGet("/api/products/search", (IProductCatalog catalog, string q)
    => catalog.Search(q.Trim()));

app.MapGet("/api/products/{sku}", (IProductCatalog catalog, string sku)
    => catalog.Find(sku) is { } product ? Results.Ok(product) : Results.NotFound());

app.MapGet("/api/coupons/{code}", (CouponBook coupons, string code)
    => coupons.Find(code));

app.MapGet("/api/stock/reorders", (ReorderBoard board) => board.Current);

app.MapControllers();

app.Start();
Console.WriteLine("LISTENING " + app.Urls.First());
app.WaitForShutdown();
