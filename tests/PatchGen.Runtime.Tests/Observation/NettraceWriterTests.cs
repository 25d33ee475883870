using PatchGen.Runtime.Observation;
using PatchGen.Runtime.Tests.Observation.Crafted;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// The test <see cref="NettraceWriter"/> against <see cref="NettraceReader"/>: what is written is read back field for
/// field, in both header encodings, so the crafted streams of <see cref="SynchronizeOrderingTests"/> say what they mean.
/// </summary>
public sealed class NettraceWriterTests
{
    private static readonly NettraceTraceInfo Info = new(new DateTime(2026, 12, 7, 2, 30, 15, 250, DateTimeKind.Utc), 123_456_789, 1_000_000_000, 8, 4242, 2, 1000);

    private static readonly EventMetadata[] Metadata =
    [
        new(1, RuntimeEvents.RuntimeProvider, RuntimeEvents.MethodLoadVerbose, string.Empty, RuntimeEvents.JitKeyword, 2, 5),
        new(7, "Some-Provider", 12, "Named", 0xF0, 1, 4),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EventsReadBackAsWritten(bool compressed)
    {
        // Threads interleaved across blocks, timestamps going back (another thread's older event), sorted flags here
        // and there, payload sizes that need padding, an empty payload, a thread ID other than the capture thread's.
        CraftedEvent[][] blocks =
        [
            [
                new(1, 10, 1, 1_000, true, [1, 2, 3]),
                new(1, 10, 2, 1_005, false, [4, 5, 6]),
                new(7, 20, 1, 900, true, []),
                new(7, 20, 2, 2_000_000_000_000, false, new byte[300], ProcessorNumber: 1),
            ],
            [
                new(1, 30, 1, 950, true, [9]) { CaptureThreadId = 40 },
                new(1, 10, 3, 1_010, false, [7, 8, 9, 10, 11]),
            ],
        ];
        var stream = new MemoryStream();
        var writer = new NettraceWriter(stream);
        writer.WriteHeader(Info);
        writer.WriteMetadataBlock(Metadata, compressed);
        foreach (CraftedEvent[] block in blocks)
        {
            writer.WriteEventBlock(block, compressed);
        }

        writer.WriteEnd();

        var reader = new NettraceReader(new MemoryStream(stream.ToArray()));
        var read = new List<(EventMetadata Metadata, CraftedEvent Event)>();
        while (reader.TryReadEvent(out NettraceEvent e))
        {
            read.Add((e.Metadata, new CraftedEvent(e.Metadata.MetadataId, e.ThreadId, e.SequenceNumber, e.Timestamp, e.IsSorted, e.Payload.ToArray(), e.ProcessorNumber) { CaptureThreadId = e.CaptureThreadId }));
        }

        Assert.Equal(NettraceEnd.Completed, reader.End);
        Assert.Equal(Info, reader.TraceInfo);
        Assert.Equal(Metadata, reader.Metadata.Values.OrderBy(m => m.MetadataId));
        CraftedEvent[] written = blocks.SelectMany(b => b).ToArray();
        Assert.Equal(written.Length, read.Count);
        for (int i = 0; i < written.Length; i++)
        {
            Assert.Equal(written[i].MetadataId, read[i].Metadata.MetadataId);
            Assert.Equal(written[i] with { Payload = [] }, read[i].Event with { Payload = [] });
            Assert.Equal(written[i].Payload, read[i].Event.Payload);
        }

        Assert.Equal(0, reader.DroppedEvents);
        Assert.Equal(0, reader.UnknownMetadataEvents);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SequenceGapsAndSequencePointsCountAsDropped(bool compressed)
    {
        var stream = new MemoryStream();
        var writer = new NettraceWriter(stream);
        writer.WriteHeader(Info);
        writer.WriteMetadataBlock(Metadata, compressed);
        writer.WriteEventBlock([new CraftedEvent(1, 10, 1, 100, true, [1]), new CraftedEvent(1, 10, 4, 101, false, [2])], compressed);
        writer.WriteSequencePoint(102, [(10, 4), (20, 5)]);
        writer.WriteEventBlock([new CraftedEvent(1, 20, 6, 103, true, [3])], compressed);
        writer.WriteEnd();

        var reader = new NettraceReader(new MemoryStream(stream.ToArray()));
        int events = 0;
        while (reader.TryReadEvent(out _))
        {
            events++;
        }

        // Two missing between 1 and 4 on thread 10, five announced by the sequence point for thread 20, none after.
        Assert.Equal(NettraceEnd.Completed, reader.End);
        Assert.Equal(3, events);
        Assert.Equal(2 + 5, reader.DroppedEvents);
    }

    [Fact]
    public void RuntimeEventPayloadsDecodeToWhatWasEncoded()
    {
        var method = new EventMethodName("Some.Namespace.Type", "Method", "int32  (class System.String)");
        var inlinee = new EventMethodName("Other", "Inlinee", "void  ()");
        var load = new MethodLoadRecord(0x1234, 0x5678, 0x7FFF_0000_1000, 0x80, 0x06000042, RuntimeEventDecoder.FlagJitted | (4u << 7), method, 3);
        var started = new MethodJittingStartedRecord(0x1234, 0x5678, 0x06000042, 77, method);
        var inlining = new InliningRecord(method, method, inlinee);

        Assert.True(RuntimeEventDecoder.TryDecodeMethodLoad(RuntimeEventPayloads.MethodLoad(load), out MethodLoadRecord loadRead));
        Assert.True(RuntimeEventDecoder.TryDecodeMethodJittingStarted(RuntimeEventPayloads.MethodJittingStarted(started), out MethodJittingStartedRecord startedRead));
        Assert.True(RuntimeEventDecoder.TryDecodeInliningSucceeded(RuntimeEventPayloads.InliningSucceeded(inlining), out InliningRecord inliningRead));
        Assert.Equal(load, loadRead);
        Assert.Equal(started, startedRead);
        Assert.Equal(inlining, inliningRead);
        Assert.Equal(CodeTier.Tier1, RuntimeEventDecoder.TierFromFlags(loadRead.Flags));
    }

    [Fact]
    public void AFedStreamIsReadBlockByBlockAsItIsWritten()
    {
        var feed = new FeedStream();
        var writer = new NettraceWriter(feed);
        writer.WriteHeader(Info);
        writer.WriteMetadataBlock(Metadata);
        writer.WriteEventBlock([new CraftedEvent(1, 10, 1, 100, true, [1])]);
        var reader = new NettraceReader(feed);
        Assert.True(reader.TryReadEvent(out NettraceEvent first));
        Assert.Equal(100, first.Timestamp);

        // Nothing more is written yet: the next read waits for it.
        var next = Task.Factory.StartNew(() => reader.TryReadEvent(out NettraceEvent e) ? e.Timestamp : -1, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        writer.WriteEventBlock([new CraftedEvent(1, 10, 2, 200, true, [2])]);
        Assert.Equal(200, CraftedSession.Within(next, "the second block was not read"));
        feed.Complete();
        Assert.False(reader.TryReadEvent(out _));
        Assert.Equal(NettraceEnd.Truncated, reader.End);
    }
}
