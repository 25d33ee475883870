using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Cases;

public sealed class Pump : BackgroundService
{
    public int Ticks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Ticks++;
            await Task.Delay(1000, stoppingToken);
        }
    }
}
