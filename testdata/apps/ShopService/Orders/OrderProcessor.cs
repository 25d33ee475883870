using ShopService.Domain;
using ShopService.Pricing;

namespace ShopService.Orders;

/// <summary>
/// Turns a cart into an order: prices it, takes the stock, and books the order. Shared by every
/// connection; the order book is guarded by a lock and order numbers come from an atomic counter.
/// </summary>
public sealed class OrderProcessor
{
    private readonly PriceQuoter _quoter;
    private readonly Inventory _inventory;
    private readonly object _gate = new();
    private readonly List<Order> _orders = new();
    private long _lastId = 1000;

    public OrderProcessor(PriceQuoter quoter, Inventory inventory)
    {
        _quoter = quoter;
        _inventory = inventory;
    }

    public Order Place(Cart cart)
    {
        var quote = _quoter.Quote(cart);

        // Zero-quantity lines are allowed in a quote (clients show them greyed out) but take no stock.
        var lines = cart.Lines.Where(l => l.Quantity > 0).ToList();
        if (lines.Count == 0)
            throw new ShopException("bad-request", "nothing to order");

        var shortSku = _inventory.TryReserve(lines);
        if (shortSku is not null)
            throw new ShopException("out-of-stock", $"not enough '{shortSku}' in stock");

        var order = new Order(Interlocked.Increment(ref _lastId), quote, DateTimeOffset.UtcNow);
        lock (_gate)
            _orders.Add(order);
        return order;
    }

    public (int Count, decimal Revenue) Stats()
    {
        lock (_gate)
            return (_orders.Count, _orders.Sum(o => o.Quote.Total));
    }
}
