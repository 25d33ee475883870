using System.Text;
using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// Writes a NetTrace stream (V5, as the runtime streams it; microsoft/perfview NetTraceFormat_v5.md) for tests: the
/// stream header, the Trace object, metadata blocks, event blocks (compressed headers, as the runtime writes them,
/// or uncompressed ones), sequence points and the end tag. Each call writes whole objects in one
/// <see cref="Stream.Write(byte[], int, int)"/>, so a reader on the other end of a <see cref="FeedStream"/> sees a
/// block arrive at once, when the test says.
/// <para>It writes only what <see cref="NettraceReader"/> reads: no stack blocks, no activity IDs.</para>
/// </summary>
internal sealed class NettraceWriter
{
    private const byte TagNullReference = 1;
    private const byte TagBeginPrivateObject = 5;
    private const byte TagEndObject = 6;

    // HeaderSize, Flags, MinTimestamp, MaxTimestamp.
    private const int BlockHeaderSize = 20;

    // EventSize, MetadataId, SequenceNumber, ThreadId, CaptureThreadId, ProcessorNumber, StackId, Timestamp,
    // ActivityId, RelatedActivityId, PayloadSize.
    private const int UncompressedHeaderSize = 4 + 4 + 4 + 8 + 8 + 4 + 4 + 8 + 16 + 16 + 4;

    private readonly Stream _output;
    private long _position;

    public NettraceWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>The stream header and the Trace object.</summary>
    public void WriteHeader(NettraceTraceInfo info)
    {
        var o = new MemoryStream();
        o.Write("Nettrace"u8);
        LittleEndian.WriteInt32(o, 20);
        o.Write("!FastSerialization.1"u8);
        BeginObject(o, "Trace", version: 4);
        DateTime t = info.SyncTimeUtc;
        foreach (int part in new[] { t.Year, t.Month, (int)t.DayOfWeek, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond })
        {
            LittleEndian.WriteInt16(o, (short)part);
        }

        LittleEndian.WriteInt64(o, info.SyncTimeQpc);
        LittleEndian.WriteInt64(o, info.QpcFrequency);
        LittleEndian.WriteInt32(o, info.PointerSize);
        LittleEndian.WriteInt32(o, info.ProcessId);
        LittleEndian.WriteInt32(o, info.ProcessorCount);
        LittleEndian.WriteInt32(o, info.ExpectedCpuSamplingRate);
        o.WriteByte(TagEndObject);
        Emit(o);
    }

    /// <summary>A metadata block declaring <paramref name="records"/> (their IDs are those events refer to).</summary>
    public void WriteMetadataBlock(IEnumerable<EventMetadata> records, bool compressed = true)
    {
        var events = records.Select(m => new CraftedEvent(0, 0, 0, 0, false, MetadataPayload(m))).ToList();
        WriteBlock("MetadataBlock", EventBlockContent(events, compressed));
    }

    /// <summary>An event block holding <paramref name="events"/> in this order.</summary>
    public void WriteEventBlock(IEnumerable<CraftedEvent> events, bool compressed = true)
        => WriteBlock("EventBlock", EventBlockContent(events.ToList(), compressed));

    /// <summary>A sequence point: the latest sequence number each capture thread attempted to write.</summary>
    public void WriteSequencePoint(long timestamp, IEnumerable<(long CaptureThreadId, uint SequenceNumber)> threads)
    {
        var content = new MemoryStream();
        var list = threads.ToList();
        LittleEndian.WriteInt64(content, timestamp);
        LittleEndian.WriteInt32(content, list.Count);
        foreach ((long thread, uint sequence) in list)
        {
            LittleEndian.WriteInt64(content, thread);
            LittleEndian.WriteInt32(content, (int)sequence);
        }

        WriteBlock("SPBlock", content.ToArray());
    }

    /// <summary>The end-of-stream tag.</summary>
    public void WriteEnd()
    {
        var o = new MemoryStream();
        o.WriteByte(TagNullReference);
        Emit(o);
    }

    private void WriteBlock(string typeName, byte[] content)
    {
        var o = new MemoryStream();
        BeginObject(o, typeName, version: 2);
        LittleEndian.WriteInt32(o, content.Length);

        // Block contents start at a 4-byte aligned offset of the whole stream.
        long at = _position + o.Length;
        o.Write(new byte[(int)((4 - (at & 3)) & 3)]);
        o.Write(content);
        o.WriteByte(TagEndObject);
        Emit(o);
    }

    private static byte[] EventBlockContent(IReadOnlyList<CraftedEvent> events, bool compressed)
    {
        var o = new MemoryStream();
        LittleEndian.WriteInt16(o, BlockHeaderSize);
        LittleEndian.WriteInt16(o, (short)(compressed ? 1 : 0));
        LittleEndian.WriteInt64(o, events.Count == 0 ? 0 : events.Min(e => e.Timestamp));
        LittleEndian.WriteInt64(o, events.Count == 0 ? 0 : events.Max(e => e.Timestamp));
        CraftedEvent? previous = null;
        foreach (CraftedEvent e in events)
        {
            if (compressed)
            {
                WriteCompressed(o, e, previous);
            }
            else
            {
                WriteUncompressed(o, e);
            }

            previous = e;
        }

        return o.ToArray();
    }

    /// <summary>
    /// A compressed header: a flags byte, then only the fields that differ from the previous event's in this block
    /// (the reader's <c>ReadCompressedHeader</c> is the other half). The sequence number is implied when it is the
    /// previous one plus one (plus zero for metadata records, whose metadata ID is 0).
    /// </summary>
    private static void WriteCompressed(MemoryStream o, CraftedEvent e, CraftedEvent? previous)
    {
        int previousMetadata = previous?.MetadataId ?? 0;
        uint previousSequence = previous?.SequenceNumber ?? 0;
        uint implied = e.MetadataId != 0 ? 1u : 0u;
        bool sequenceChanged = e.SequenceNumber != previousSequence + implied
            || e.CaptureThreadId != (previous?.CaptureThreadId ?? 0) || e.ProcessorNumber != (previous?.ProcessorNumber ?? 0);
        byte flags = 0;
        flags |= e.MetadataId != previousMetadata ? (byte)1 : (byte)0;
        flags |= sequenceChanged ? (byte)2 : (byte)0;
        flags |= e.ThreadId != (previous?.ThreadId ?? 0) ? (byte)4 : (byte)0;
        flags |= e.IsSorted ? (byte)64 : (byte)0;
        flags |= e.Payload.Length != (previous?.Payload.Length ?? 0) ? (byte)128 : (byte)0;
        o.WriteByte(flags);
        if ((flags & 1) != 0)
        {
            WriteVarUInt(o, (uint)e.MetadataId);
        }

        if ((flags & 2) != 0)
        {
            WriteVarUInt(o, unchecked(e.SequenceNumber - previousSequence - implied));
            WriteVarUInt(o, (ulong)e.CaptureThreadId);
            WriteVarUInt(o, (uint)e.ProcessorNumber);
        }

        if ((flags & 4) != 0)
        {
            WriteVarUInt(o, (ulong)e.ThreadId);
        }

        // Timestamps are deltas; the reader adds them modulo 2^64, so an older event (another thread's) is fine too.
        WriteVarUInt(o, unchecked((ulong)(e.Timestamp - (previous?.Timestamp ?? 0))));
        if ((flags & 128) != 0)
        {
            WriteVarUInt(o, (uint)e.Payload.Length);
        }

        o.Write(e.Payload);
    }

    /// <summary>An uncompressed header (the sorted flag is the metadata ID's high bit), the payload, padding to 4 bytes.</summary>
    private static void WriteUncompressed(MemoryStream o, CraftedEvent e)
    {
        LittleEndian.WriteInt32(o, UncompressedHeaderSize - 4 + e.Payload.Length);
        LittleEndian.WriteInt32(o, e.MetadataId | (e.IsSorted ? int.MinValue : 0));
        LittleEndian.WriteInt32(o, (int)e.SequenceNumber);
        LittleEndian.WriteInt64(o, e.ThreadId);
        LittleEndian.WriteInt64(o, e.CaptureThreadId);
        LittleEndian.WriteInt32(o, e.ProcessorNumber);
        LittleEndian.WriteInt32(o, 0);
        LittleEndian.WriteInt64(o, e.Timestamp);
        o.Write(new byte[32]);
        LittleEndian.WriteInt32(o, e.Payload.Length);
        o.Write(e.Payload);
        o.Write(new byte[(int)((4 - (o.Length & 3)) & 3)]);
    }

    private static byte[] MetadataPayload(EventMetadata m)
    {
        var o = new MemoryStream();
        LittleEndian.WriteInt32(o, m.MetadataId);
        RuntimeEventPayloads.WriteString(o, m.ProviderName);
        LittleEndian.WriteInt32(o, m.EventId);
        RuntimeEventPayloads.WriteString(o, m.EventName);
        LittleEndian.WriteInt64(o, (long)m.Keywords);
        LittleEndian.WriteInt32(o, m.Version);
        LittleEndian.WriteInt32(o, m.Level);

        // No field descriptions: the runtime's native events have none in EventPipe either.
        LittleEndian.WriteInt32(o, 0);
        return o.ToArray();
    }

    private static void BeginObject(MemoryStream o, string typeName, int version)
    {
        o.WriteByte(TagBeginPrivateObject);
        o.WriteByte(TagBeginPrivateObject);
        o.WriteByte(TagNullReference);
        LittleEndian.WriteInt32(o, version);
        LittleEndian.WriteInt32(o, version);
        LittleEndian.WriteInt32(o, typeName.Length);
        o.Write(Encoding.UTF8.GetBytes(typeName));
        o.WriteByte(TagEndObject);
    }

    private void Emit(MemoryStream o)
    {
        byte[] bytes = o.ToArray();
        _output.Write(bytes, 0, bytes.Length);
        _output.Flush();
        _position += bytes.Length;
    }

    private static void WriteVarUInt(MemoryStream o, ulong value)
    {
        while (value >= 0x80)
        {
            o.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        o.WriteByte((byte)value);
    }
}
