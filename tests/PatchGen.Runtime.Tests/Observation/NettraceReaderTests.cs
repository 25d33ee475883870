using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// The reader against real bytes: a session of this very process (runtime JIT events, a rundown and
/// the sample profiler), recorded whole, then parsed whole, cut short at many points, and damaged.
/// </summary>
[Collection(ObservationCollection.Name)]
public sealed class NettraceReaderTests
{
    private static readonly Lazy<byte[]> Recording = new(RecordSelfSession);

    [Fact]
    public void ParsesALiveSelfSession()
    {
        var reader = new NettraceReader(new MemoryStream(Recording.Value));
        var byProvider = new Dictionary<string, int>();
        int methodLoads = 0, withStacks = 0, samples = 0;
        while (reader.TryReadEvent(out NettraceEvent e))
        {
            byProvider[e.Metadata.ProviderName] = byProvider.GetValueOrDefault(e.Metadata.ProviderName) + 1;
            if (e.Metadata.ProviderName == RuntimeEvents.RuntimeProvider && e.Metadata.EventId == RuntimeEvents.MethodLoadVerbose)
            {
                Assert.True(RuntimeEventDecoder.TryDecodeMethodLoad(e.Payload.Span, out MethodLoadRecord load));
                Assert.NotEqual(0UL, load.StartAddress);
                Assert.NotEqual(0UL, load.MethodId);
                Assert.False(string.IsNullOrEmpty(load.Method.Name));
                methodLoads++;
            }

            if (e.Metadata.ProviderName == RuntimeEvents.SampleProfilerProvider)
            {
                samples++;
                Assert.Equal(4, e.Payload.Length);
                Assert.NotEqual(0L, e.ThreadId);
                if (e.Stack.Length > 0)
                {
                    withStacks++;
                    Assert.All(e.Stack, ip => Assert.NotEqual(0UL, ip));
                }
            }
        }

        Assert.Equal(NettraceEnd.Completed, reader.End);
        Assert.NotNull(reader.TraceInfo);
        Assert.Equal(Environment.ProcessId, reader.TraceInfo!.ProcessId);
        Assert.Equal(IntPtr.Size, reader.TraceInfo.PointerSize);
        Assert.Contains(reader.Metadata.Values, m => m.ProviderName == RuntimeEvents.RuntimeProvider && m.EventId == RuntimeEvents.MethodLoadVerbose);
        Assert.Contains(reader.Metadata.Values, m => m.ProviderName == RuntimeEvents.RundownProvider && m.EventId == RuntimeEvents.DCEndComplete);
        Assert.True(methodLoads > 0);
        Assert.True(samples > 0);
        Assert.True(withStacks > 0);
        Assert.True(byProvider.GetValueOrDefault(RuntimeEvents.RundownProvider) > 100);
        Assert.Equal(0, reader.DroppedEvents);
    }

    [Fact]
    public void AStreamCutAnywhereEndsAsTruncatedWithoutGarbage()
    {
        byte[] full = Recording.Value;
        int total = CountEvents(full, full.Length, out NettraceEnd fullEnd);
        Assert.Equal(NettraceEnd.Completed, fullEnd);

        // Every cut in the header and the first blocks, then cuts spread over the whole stream.
        var cuts = Enumerable.Range(0, Math.Min(600, full.Length)).ToList();
        var random = new Random(12345);
        for (int i = 0; i < 300; i++)
        {
            cuts.Add(random.Next(full.Length));
        }

        foreach (int cut in cuts.Append(full.Length - 1))
        {
            int events = CountEvents(full, cut, out NettraceEnd end);
            Assert.Equal(NettraceEnd.Truncated, end);
            Assert.InRange(events, 0, total);
        }
    }

    [Fact]
    public void DamagedBytesNeverThrow()
    {
        byte[] full = Recording.Value;
        var random = new Random(4242);
        for (int round = 0; round < 200; round++)
        {
            byte[] damaged = (byte[])full.Clone();
            for (int i = 0; i < 1 + random.Next(8); i++)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            var reader = new NettraceReader(new MemoryStream(damaged));
            while (reader.TryReadEvent(out NettraceEvent e))
            {
                _ = e.Payload.Span.Length + e.Stack.Length;
            }

            Assert.NotEqual(NettraceEnd.None, reader.End);
        }
    }

    private static int CountEvents(byte[] data, int length, out NettraceEnd end)
    {
        var reader = new NettraceReader(new MemoryStream(data, 0, length));
        int count = 0;
        while (reader.TryReadEvent(out _))
        {
            count++;
        }

        end = reader.End;
        return count;
    }

    private static byte[] RecordSelfSession()
    {
        var providers = new[]
        {
            new EventPipeProvider(RuntimeEvents.RuntimeProvider, RuntimeEventSession.Keywords, EventLevel.Verbose),
            new EventPipeProvider(RuntimeEvents.SampleProfilerProvider, 0, EventLevel.Verbose),
        };
        using EventPipeSession session = DiagnosticsIpcClient.StartSession(providers, requestRundown: true, requestStackwalk: false, 64, ObservationFixture.Timeout);
        var recording = new MemoryStream();
        var copier = new Thread(() => session.Stream.CopyTo(recording)) { IsBackground = true };
        copier.Start();

        // Something to JIT while recording, and time for the sampler to take a few passes.
        var list = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            list.Add(new Uri($"http://example.invalid/{i}").AbsolutePath);
        }

        Thread.Sleep(200);
        session.Stop();
        Assert.True(copier.Join(ObservationFixture.Timeout), "the recording did not end after the session stopped");
        return recording.ToArray();
    }
}
