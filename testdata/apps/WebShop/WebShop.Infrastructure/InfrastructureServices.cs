using Microsoft.Extensions.DependencyInjection;
using WebShop.Domain.Catalog;
using WebShop.Domain.Pricing;
using WebShop.Domain.Stock;

namespace WebShop.Infrastructure;

/// <summary>Registers the shop's services: the in-memory adapters and the domain services over them.</summary>
public static class InfrastructureServices
{
    public static IServiceCollection AddWebShop(this IServiceCollection services)
    {
        services.AddSingleton<IProductCatalog>(_ => InMemoryProductCatalog.CreateDefault());
        services.AddSingleton<IStockLevels>(_ => InMemoryStockLevels.CreateDefault());
        services.AddSingleton(_ => CouponBook.CreateDefault());
        services.AddSingleton<ShippingCalculator>();
        services.AddSingleton<PriceCalculator>();
        services.AddSingleton<ReorderPolicy>();
        return services;
    }
}
