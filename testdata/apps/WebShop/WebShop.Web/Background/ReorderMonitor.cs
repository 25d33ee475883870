using WebShop.Domain.Stock;

namespace WebShop.Web.Background;

/// <summary>
/// Checks the stock every 50 ms for as long as the app runs and publishes the SKUs due for reorder.
/// The first check runs in <see cref="StartAsync"/>, before the host finishes starting (and so before
/// the server answers), so the board is never empty by accident.
/// </summary>
public sealed class ReorderMonitor : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly IStockLevels _stock;
    private readonly ReorderPolicy _policy;
    private readonly ReorderBoard _board;

    public ReorderMonitor(IStockLevels stock, ReorderPolicy policy, ReorderBoard board)
    {
        _stock = stock;
        _policy = policy;
        _board = board;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Check();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Check();
        }
    }

    private void Check() => _board.Publish(_policy.DueForReorder(_stock.Current()));
}
