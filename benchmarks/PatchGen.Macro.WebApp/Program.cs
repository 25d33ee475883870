using PatchGen.Macro.WebApp.Catalog;
using PatchGen.Macro.WebApp.Pricing;

// A small shop API: minimal API endpoints over two services, and one MVC controller. Started with
// '--urls http://127.0.0.1:0' it lets the OS pick the port and prints 'LISTENING <url>' once it serves.
var builder = WebApplication.CreateBuilder(args);
// Request logging at Information would put console I/O on every request and measure the logger, not the app.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<ProductCatalog>();
builder.Services.AddSingleton<QuoteCalculator>();
builder.Services.AddControllers();

var app = builder.Build();

app.MapGet("/health", () => "ok");

app.MapGet("/api/products", (ProductCatalog catalog, string? category, decimal? maxPrice, string? sort, int? page, int? pageSize)
    => catalog.Search(new ProductQuery(category, maxPrice, sort ?? "name", page ?? 1, pageSize ?? 20)));

app.MapGet("/api/products/{sku}", (ProductCatalog catalog, string sku)
    => catalog.Find(sku) is { } product ? Results.Ok(product) : Results.NotFound());

app.MapPost("/api/quotes", (QuoteCalculator calculator, QuoteRequest request)
    => calculator.Quote(request) is { } quote ? Results.Ok(quote) : Results.BadRequest(new { error = "unknown product or bad quantity" }));

app.MapControllers();

await app.StartAsync();
Console.WriteLine("LISTENING " + app.Urls.First());
await app.WaitForShutdownAsync();
