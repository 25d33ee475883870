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
            Tick();
            await Task.Delay(1000, stoppingToken);
        }
    }

    public void Tick() => Ticks += 2;
}

// Not a hosted service: an ExecuteAsync of its own, on a type that does not derive from BackgroundService.
public class Job
{
    public virtual Task ExecuteAsync(CancellationToken token) => Task.Delay(2, token);
}
