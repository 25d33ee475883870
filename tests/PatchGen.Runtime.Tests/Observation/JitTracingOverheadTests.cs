using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// Measures (prints, does not assert) what the continuous session costs during a real JIT warm-up:
/// System.Text.Json serialising types this process has not used before, so its generic code is
/// compiled (and then tiered up) while the session runs.
/// </summary>
[Collection(ObservationCollection.Name)]
public sealed class JitTracingOverheadTests(ObservationFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void MeasuresEventVolumeDuringAJsonWarmUp()
    {
        fixture.Sync();
        var session = fixture.Session;
        long events0 = session.EventsRead, bytes0 = session.BytesRead, inlining0 = session.InliningEvents, loads0 = session.MethodLoads;
        TimeSpan cpu0 = session.ReaderCpuTime ?? TimeSpan.Zero;
        TimeSpan process0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        int total = 0;
        for (int i = 0; i < 300; i++)
        {
            var order = new Order(i, $"customer {i}", [new Line("sku" + i, i % 7, 1.5m * i), new Line("x", 1, 2m)], new Address("street", "city", i), DateTimeOffset.UnixEpoch.AddDays(i));
            string json = JsonSerializer.Serialize(order);
            Order back = JsonSerializer.Deserialize<Order>(json)!;
            var invoice = new Invoice(back.Id, back.Lines.Sum(l => l.Price * l.Quantity), [back.Customer], new Dictionary<string, int> { ["a"] = i });
            total += JsonSerializer.Serialize(invoice).Length + JsonSerializer.Deserialize<Invoice>(JsonSerializer.Serialize(invoice))!.Tags.Count;
            if (i % 50 == 0)
            {
                Thread.Sleep(20); // lets tiering's call-counting delay expire, so tier-up happens within the run
            }
        }

        TimeSpan workload = clock.Elapsed;
        Assert.True(total > 0);
        fixture.Sync();
        TimeSpan elapsed = clock.Elapsed;

        long events = session.EventsRead - events0, bytes = session.BytesRead - bytes0;
        long inlining = session.InliningEvents - inlining0, loads = session.MethodLoads - loads0;
        TimeSpan readerCpu = (session.ReaderCpuTime ?? TimeSpan.Zero) - cpu0;
        TimeSpan processCpu = Process.GetCurrentProcess().TotalProcessorTime - process0;
        output.WriteLine($"workload {workload.TotalMilliseconds:F0} ms (+ sync {(elapsed - workload).TotalMilliseconds:F0} ms)");
        output.WriteLine($"events {events} ({events / workload.TotalSeconds:F0}/s over the workload), {bytes / 1024} KiB ({bytes / 1024 / workload.TotalSeconds:F0} KiB/s)");
        output.WriteLine($"method loads {loads} ({loads / workload.TotalSeconds:F0}/s), inlining successes {inlining} ({inlining / workload.TotalSeconds:F0}/s), {(loads == 0 ? 0 : (double)events / loads):F1} events per compiled method");
        output.WriteLine($"reader thread CPU {readerCpu.TotalMilliseconds:F0} ms ({readerCpu.TotalMilliseconds / events * 1000:F2} µs/event), process CPU {processCpu.TotalMilliseconds:F0} ms");
        output.WriteLine($"dropped {session.DroppedEvents}, code map {fixture.Map.Count} versions");
    }

    public sealed record Line(string Sku, int Quantity, decimal Price);

    public sealed record Address(string Street, string City, int Number);

    public sealed record Order(int Id, string Customer, List<Line> Lines, Address ShipTo, DateTimeOffset Placed);

    public sealed record Invoice(int OrderId, decimal Amount, string[] Names, Dictionary<string, int> Tags);
}
