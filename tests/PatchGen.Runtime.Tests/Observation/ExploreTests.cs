using System.Runtime.CompilerServices;
using PatchGen.Runtime.Observation;
using Xunit.Abstractions;

namespace PatchGen.Runtime.Tests.Observation;

public sealed class ExploreTests(ITestOutputHelper output)
{
    [Fact]
    public void Explore()
    {
        var providers = new[]
        {
            new EventPipeProvider(RuntimeEvents.RuntimeProvider, 0x1018, EventLevel.Verbose),
            new EventPipeProvider(RuntimeEvents.SampleProfilerProvider, 0, EventLevel.Verbose),
        };
        using EventPipeSession session = DiagnosticsIpcClient.StartSession(providers, requestRundown: true, 64, TimeSpan.FromSeconds(10));
        var counts = new Dictionary<(string, int, int), int>();
        var reader = new NettraceReader(session.Stream);
        var t = new Thread(() =>
        {
            while (reader.TryReadEvent(out NettraceEvent e))
            {
                var k = (e.Metadata.ProviderName, e.Metadata.EventId, e.Metadata.Version);
                counts[k] = counts.GetValueOrDefault(k) + 1;
                if (e.Metadata.ProviderName == RuntimeEvents.RuntimeProvider && e.Metadata.EventId == 185 && counts[k] < 5)
                {
                    RuntimeEventDecoder.TryDecodeInliningSucceeded(e.Payload.Span, out var rec);
                    output.WriteLine(rec.ToString());
                }
                if (e.Metadata.ProviderName == RuntimeEvents.RuntimeProvider && e.Metadata.EventId == 143 && counts[k] < 5)
                {
                    RuntimeEventDecoder.TryDecodeMethodLoad(e.Payload.Span, out var rec);
                    output.WriteLine(rec.ToString() + " " + RuntimeEventDecoder.TierFromFlags(rec.Flags));
                }
                if (e.Metadata.ProviderName == RuntimeEvents.RundownProvider && e.Metadata.EventId == 144 && counts[k] < 5)
                {
                    RuntimeEventDecoder.TryDecodeMethodLoad(e.Payload.Span, out var rec);
                    output.WriteLine("DC " + rec.ToString() + " " + RuntimeEventDecoder.TierFromFlags(rec.Flags));
                }
                if (e.Metadata.ProviderName == RuntimeEvents.SampleProfilerProvider && counts[k] < 5)
                {
                    output.WriteLine($"sample tid={e.ThreadId} cap={e.CaptureThreadId} ts={e.Timestamp} kind={RuntimeEventDecoder.DecodeThreadSample(e.Payload.Span)} frames={e.Stack.Length} plen={e.Payload.Length}");
                }
            }
        });
        t.Start();
        for (int i = 0; i < 50; i++) Work(i);
        Thread.Sleep(300);
        session.Stop();
        Assert.True(t.Join(TimeSpan.FromSeconds(15)));
        output.WriteLine($"end={reader.End} {reader.EndDetail} dropped={reader.DroppedEvents} unknown={reader.UnknownMetadataEvents} bytes={reader.BytesRead} info={reader.TraceInfo}");
        foreach (var m in reader.Metadata.Values.OrderBy(m => m.ProviderName).ThenBy(m => m.EventId))
            output.WriteLine($"meta {m.MetadataId} {m.ProviderName} id={m.EventId} v={m.Version} name='{m.EventName}' kw=0x{m.Keywords:X} lvl={m.Level} n={counts.GetValueOrDefault((m.ProviderName, m.EventId, m.Version))}");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Work(int i) => Helper(i) + new List<int> { i }.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Helper(int i) => i * 2;
}
