namespace WebShop.Domain.Stock;

/// <summary>The warehouse's stock, as the domain needs it; WebShop.Infrastructure implements it.</summary>
public interface IStockLevels
{
    IReadOnlyList<StockLevel> Current();
}
