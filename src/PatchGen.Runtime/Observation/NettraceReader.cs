using System.Buffers.Binary;
using System.Text;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// A streaming reader of the NetTrace format (V4 and V5, as the runtime streams it for CollectTracing3;
/// microsoft/perfview, src/TraceEvent/EventPipe/NetTraceFormat_v5.md). It reads forward only, one block
/// at a time, so it works on a live socket; it never seeks.
/// <para>
/// It never throws on bad input: a stream that stops mid-object (a session being stopped, a connection
/// lost) ends with <see cref="NettraceEnd.Truncated"/>, anything unrecognisable ends with
/// <see cref="NettraceEnd.Malformed"/>, and the events before that point are returned intact. Only
/// whole blocks are parsed, so a partial block is never half-delivered.
/// </para>
/// <para>Not thread safe: one thread reads.</para>
/// </summary>
internal sealed class NettraceReader
{
    private const byte TagNullReference = 1;
    private const byte TagBeginPrivateObject = 5;
    private const byte TagEndObject = 6;

    // Blocks larger than this are not something the runtime writes (its blocks are about 100 KB);
    // refusing them keeps a corrupt size from allocating gigabytes.
    private const int MaxBlockSize = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _input = new byte[64 * 1024];
    private int _inputPos;
    private int _inputEnd;
    private long _position;
    private bool _headerRead;

    private readonly Dictionary<int, EventMetadata> _metadata = new();
    private readonly Dictionary<int, ulong[]> _stacks = new();
    private readonly Dictionary<long, uint> _lastSequence = new();

    // The block being walked (event or metadata) and the compressed-header state carried between its events.
    private byte[] _block = [];
    private int _blockPos;
    private int _blockEnd;
    private bool _blockIsMetadata;
    private bool _blockCompressed;
    private bool _inBlock;
    private HeaderState _previous;

    public NettraceReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>The trace's clock and machine facts, once the header was read.</summary>
    public NettraceTraceInfo? TraceInfo { get; private set; }

    public NettraceEnd End { get; private set; }

    /// <summary>Why the stream ended badly, for diagnostics.</summary>
    public string? EndDetail { get; private set; }

    /// <summary>
    /// Events the runtime counted but that are not in the stream (its buffers were full), inferred from
    /// gaps in each capture thread's sequence numbers and from sequence points.
    /// </summary>
    public long DroppedEvents { get; private set; }

    /// <summary>Events whose metadata record was never seen (they are skipped).</summary>
    public long UnknownMetadataEvents { get; private set; }

    public long EventsRead { get; private set; }

    public long BytesRead => _position;

    /// <summary>Metadata records seen so far, by metadata ID.</summary>
    public IReadOnlyDictionary<int, EventMetadata> Metadata => _metadata;

    /// <summary>
    /// Reads the next event, blocking on the stream as needed. False once the stream has ended
    /// (see <see cref="End"/>).
    /// </summary>
    public bool TryReadEvent(out NettraceEvent e)
    {
        while (End == NettraceEnd.None)
        {
            if (_inBlock)
            {
                if (_blockPos < _blockEnd)
                {
                    if (ReadBlob(out e))
                    {
                        return true;
                    }

                    continue;
                }

                _inBlock = false;
            }

            try
            {
                if (!_headerRead)
                {
                    ReadStreamHeader();
                    _headerRead = End == NettraceEnd.None;
                    continue;
                }

                ReadObject();
            }
            catch (IOException ex)
            {
                // A socket reset is a truncation like any other: the session went away.
                Finish(NettraceEnd.Truncated, ex.Message);
            }
            catch (ObjectDisposedException ex)
            {
                Finish(NettraceEnd.Truncated, ex.Message);
            }
        }

        e = default;
        return false;
    }

    private void Finish(NettraceEnd end, string? detail)
    {
        if (End == NettraceEnd.None)
        {
            End = end;
            EndDetail = detail;
        }

        _inBlock = false;
    }

    private void ReadStreamHeader()
    {
        Span<byte> magic = stackalloc byte[8];
        if (!ReadExact(magic))
        {
            return;
        }

        if (!magic.SequenceEqual("Nettrace"u8))
        {
            Finish(NettraceEnd.Malformed, "the stream does not start with 'Nettrace'");
            return;
        }

        if (!ReadInt32(out int length))
        {
            return;
        }

        if (length != 20)
        {
            Finish(NettraceEnd.Malformed, "unexpected serializer signature length");
            return;
        }

        Span<byte> signature = stackalloc byte[20];
        if (!ReadExact(signature))
        {
            return;
        }

        if (!signature.SequenceEqual("!FastSerialization.1"u8))
        {
            Finish(NettraceEnd.Malformed, "the stream is not !FastSerialization.1");
        }
    }

    /// <summary>Reads one top-level object (or the end tag).</summary>
    private void ReadObject()
    {
        if (!ReadByte(out byte tag))
        {
            return;
        }

        if (tag == TagNullReference)
        {
            Finish(NettraceEnd.Completed, null);
            return;
        }

        if (tag != TagBeginPrivateObject || !ReadTypeName(out string? typeName, out int version))
        {
            if (End == NettraceEnd.None)
            {
                Finish(NettraceEnd.Malformed, $"unexpected tag {tag} at offset {_position - 1}");
            }

            return;
        }

        if (typeName == "Trace")
        {
            ReadTraceObject(version);
            return;
        }

        if (typeName is not ("EventBlock" or "MetadataBlock" or "StackBlock" or "SPBlock"))
        {
            Finish(NettraceEnd.Malformed, $"unknown object type '{typeName}' (version {version})");
            return;
        }

        if (!ReadInt32(out int blockSize))
        {
            return;
        }

        if (blockSize < 0 || blockSize > MaxBlockSize)
        {
            Finish(NettraceEnd.Malformed, $"impossible {typeName} size {blockSize}");
            return;
        }

        // Block contents start at a 4-byte aligned offset of the whole stream.
        int padding = (int)((4 - (_position & 3)) & 3);
        if (!Skip(padding))
        {
            return;
        }

        byte[] block = blockSize <= _block.Length && !_inBlock ? _block : new byte[Math.Max(blockSize, 4096)];
        if (!ReadExact(block.AsSpan(0, blockSize)) || !ExpectEndObject(typeName))
        {
            return;
        }

        _block = block;
        switch (typeName)
        {
            case "EventBlock":
            case "MetadataBlock":
                BeginEventBlock(blockSize, typeName == "MetadataBlock");
                break;
            case "StackBlock":
                ReadStackBlock(blockSize);
                break;
            default:
                ReadSequencePoint(blockSize);
                break;
        }
    }

    private bool ReadTypeName(out string? name, out int version)
    {
        name = null;
        version = 0;
        if (!ReadByte(out byte begin) || !ReadByte(out byte nullType) || !ReadInt32(out version) ||
            !ReadInt32(out _) || !ReadInt32(out int length))
        {
            return false;
        }

        if (begin != TagBeginPrivateObject || nullType != TagNullReference || length < 0 || length > 256)
        {
            Finish(NettraceEnd.Malformed, "malformed object type header");
            return false;
        }

        byte[] bytes = new byte[length];
        if (!ReadExact(bytes) || !ExpectEndObject("type"))
        {
            return false;
        }

        name = Encoding.UTF8.GetString(bytes);
        return true;
    }

    private void ReadTraceObject(int version)
    {
        // Version 4 (and 5) fields: SYSTEMTIME, SyncTimeQPC, QPCFrequency, PointerSize, ProcessId,
        // NumberOfProcessors, ExpectedCPUSamplingRate.
        Span<byte> data = stackalloc byte[48];
        if (!ReadExact(data) || !ExpectEndObject("Trace"))
        {
            return;
        }

        DateTime sync;
        try
        {
            sync = new DateTime(
                BinaryPrimitives.ReadInt16LittleEndian(data), BinaryPrimitives.ReadInt16LittleEndian(data[2..]),
                BinaryPrimitives.ReadInt16LittleEndian(data[6..]), BinaryPrimitives.ReadInt16LittleEndian(data[8..]),
                BinaryPrimitives.ReadInt16LittleEndian(data[10..]), BinaryPrimitives.ReadInt16LittleEndian(data[12..]),
                BinaryPrimitives.ReadInt16LittleEndian(data[14..]), DateTimeKind.Utc);
        }
        catch (ArgumentOutOfRangeException)
        {
            sync = default;
        }

        long qpc = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        long frequency = BinaryPrimitives.ReadInt64LittleEndian(data[24..]);
        int pointerSize = BinaryPrimitives.ReadInt32LittleEndian(data[32..]);
        if (pointerSize is not (4 or 8) || frequency <= 0)
        {
            Finish(NettraceEnd.Malformed, $"Trace object version {version} has pointer size {pointerSize}, frequency {frequency}");
            return;
        }

        TraceInfo = new NettraceTraceInfo(
            sync, qpc, frequency, pointerSize, BinaryPrimitives.ReadInt32LittleEndian(data[36..]),
            BinaryPrimitives.ReadInt32LittleEndian(data[40..]), BinaryPrimitives.ReadInt32LittleEndian(data[44..]));
    }

    private void BeginEventBlock(int blockSize, bool isMetadata)
    {
        if (blockSize < 4)
        {
            Finish(NettraceEnd.Malformed, "event block too small");
            return;
        }

        int headerSize = BinaryPrimitives.ReadInt16LittleEndian(_block);
        int flags = BinaryPrimitives.ReadInt16LittleEndian(_block.AsSpan(2));
        if (headerSize < 4 || headerSize > blockSize)
        {
            Finish(NettraceEnd.Malformed, $"event block header size {headerSize}");
            return;
        }

        _blockPos = headerSize;
        _blockEnd = blockSize;
        _blockIsMetadata = isMetadata;
        _blockCompressed = (flags & 1) != 0;
        _previous = default;
        _inBlock = true;
    }

    /// <summary>
    /// Reads one event blob of the current block. Metadata records are absorbed and answer false, as do
    /// events without known metadata; a malformed blob ends the stream.
    /// </summary>
    private bool ReadBlob(out NettraceEvent e)
    {
        e = default;
        HeaderState h = _previous;
        int pos = _blockPos;
        bool ok = _blockCompressed ? ReadCompressedHeader(ref pos, ref h) : ReadUncompressedHeader(ref pos, ref h);
        if (!ok || h.PayloadSize < 0 || h.PayloadSize > _blockEnd - pos)
        {
            Finish(NettraceEnd.Malformed, $"event header overruns its block at offset {_blockPos}");
            return false;
        }

        int payloadStart = pos;
        pos += h.PayloadSize;
        if (!_blockCompressed)
        {
            // Uncompressed blobs are padded to 4 bytes; the block itself starts aligned.
            pos = Math.Min(_blockEnd, (pos + 3) & ~3);
        }

        _blockPos = pos;
        _previous = h;
        var payload = new ReadOnlyMemory<byte>(_block, payloadStart, h.PayloadSize);

        if (_blockIsMetadata)
        {
            ReadMetadataRecord(payload.Span);
            return false;
        }

        TrackSequence(h.CaptureThreadId, h.SequenceNumber);
        if (!_metadata.TryGetValue(h.MetadataId, out EventMetadata? metadata))
        {
            UnknownMetadataEvents++;
            return false;
        }

        ulong[] stack = h.StackId != 0 && _stacks.TryGetValue(h.StackId, out ulong[]? found) ? found : [];
        EventsRead++;
        e = new NettraceEvent(metadata, h.ThreadId, h.CaptureThreadId, h.ProcessorNumber, h.SequenceNumber, h.Timestamp, h.StackId, stack, payload, h.IsSorted);
        return true;
    }

    private bool ReadCompressedHeader(ref int pos, ref HeaderState h)
    {
        if (pos >= _blockEnd)
        {
            return false;
        }

        byte flags = _block[pos++];
        if ((flags & 1) != 0 && !ReadVarUInt32(ref pos, out h.MetadataId))
        {
            return false;
        }

        if ((flags & 2) != 0)
        {
            if (!ReadVarUInt32(ref pos, out int delta) || !ReadVarUInt64(ref pos, out h.CaptureThreadId) ||
                !ReadVarUInt32(ref pos, out h.ProcessorNumber))
            {
                return false;
            }

            h.SequenceNumber += (uint)delta;
        }

        if (h.MetadataId != 0)
        {
            h.SequenceNumber++;
        }

        if ((flags & 4) != 0 && !ReadVarUInt64(ref pos, out h.ThreadId))
        {
            return false;
        }

        if ((flags & 8) != 0 && !ReadVarUInt32(ref pos, out h.StackId))
        {
            return false;
        }

        if (!ReadVarUInt64(ref pos, out long timestampDelta))
        {
            return false;
        }

        h.Timestamp += timestampDelta;
        int guids = ((flags & 16) != 0 ? 16 : 0) + ((flags & 32) != 0 ? 16 : 0);
        if (guids > _blockEnd - pos)
        {
            return false;
        }

        pos += guids;
        h.IsSorted = (flags & 64) != 0;
        return (flags & 128) == 0 || ReadVarUInt32(ref pos, out h.PayloadSize);
    }

    private bool ReadUncompressedHeader(ref int pos, ref HeaderState h)
    {
        const int Size = 4 + 4 + 4 + 8 + 8 + 4 + 4 + 8 + 16 + 16 + 4;
        if (_blockEnd - pos < Size)
        {
            return false;
        }

        ReadOnlySpan<byte> s = _block.AsSpan(pos, Size);
        int metadataId = BinaryPrimitives.ReadInt32LittleEndian(s[4..]);
        h.IsSorted = metadataId < 0;
        h.MetadataId = metadataId & 0x7FFFFFFF;
        h.SequenceNumber = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
        h.ThreadId = BinaryPrimitives.ReadInt64LittleEndian(s[12..]);
        h.CaptureThreadId = BinaryPrimitives.ReadInt64LittleEndian(s[20..]);
        h.ProcessorNumber = BinaryPrimitives.ReadInt32LittleEndian(s[28..]);
        h.StackId = BinaryPrimitives.ReadInt32LittleEndian(s[32..]);
        h.Timestamp = BinaryPrimitives.ReadInt64LittleEndian(s[36..]);
        h.PayloadSize = BinaryPrimitives.ReadInt32LittleEndian(s[76..]);
        pos += Size;
        return true;
    }

    private void ReadMetadataRecord(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        if (!reader.TryReadInt32(out int metadataId) || !reader.TryReadString(out string provider) ||
            !reader.TryReadInt32(out int eventId) || !reader.TryReadString(out string name) ||
            !reader.TryReadUInt64(out ulong keywords) || !reader.TryReadInt32(out int version) ||
            !reader.TryReadInt32(out int level))
        {
            // A record we cannot read only costs us the events that use it; they are counted as unknown.
            return;
        }

        _metadata[metadataId] = new EventMetadata(metadataId, provider, eventId, name, keywords, version, level);
    }

    private void ReadStackBlock(int blockSize)
    {
        if (blockSize < 8)
        {
            Finish(NettraceEnd.Malformed, "stack block too small");
            return;
        }

        int pointerSize = TraceInfo?.PointerSize ?? 8;
        int firstId = BinaryPrimitives.ReadInt32LittleEndian(_block);
        int count = BinaryPrimitives.ReadInt32LittleEndian(_block.AsSpan(4));
        int pos = 8;
        for (int i = 0; i < count; i++)
        {
            if (blockSize - pos < 4)
            {
                Finish(NettraceEnd.Malformed, "stack block overrun");
                return;
            }

            int size = BinaryPrimitives.ReadInt32LittleEndian(_block.AsSpan(pos));
            pos += 4;
            if (size < 0 || size > blockSize - pos)
            {
                Finish(NettraceEnd.Malformed, "stack block overrun");
                return;
            }

            var ips = new ulong[size / pointerSize];
            for (int j = 0; j < ips.Length; j++)
            {
                ips[j] = pointerSize == 8
                    ? BinaryPrimitives.ReadUInt64LittleEndian(_block.AsSpan(pos + (j * 8)))
                    : BinaryPrimitives.ReadUInt32LittleEndian(_block.AsSpan(pos + (j * 4)));
            }

            _stacks[firstId + i] = ips;
            pos += size;
        }
    }

    private void ReadSequencePoint(int blockSize)
    {
        // Stacks are only referenced within the region between two sequence points.
        _stacks.Clear();
        if (blockSize < 12)
        {
            Finish(NettraceEnd.Malformed, "sequence point too small");
            return;
        }

        int threads = BinaryPrimitives.ReadInt32LittleEndian(_block.AsSpan(8));
        if (threads < 0 || threads > (blockSize - 12) / 12)
        {
            Finish(NettraceEnd.Malformed, "sequence point overrun");
            return;
        }

        for (int i = 0; i < threads; i++)
        {
            int at = 12 + (i * 12);
            long threadId = BinaryPrimitives.ReadInt64LittleEndian(_block.AsSpan(at));
            uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(_block.AsSpan(at + 8));
            _lastSequence.TryGetValue(threadId, out uint last);

            // The sequence point gives a lower bound of what each thread attempted to write; more than
            // we saw means the rest was dropped (including threads we never saw a single event from).
            int missing = (int)(sequence - last);
            if (missing > 0)
            {
                DroppedEvents += missing;
                _lastSequence[threadId] = sequence;
            }
        }
    }

    private void TrackSequence(long captureThreadId, uint sequence)
    {
        _lastSequence.TryGetValue(captureThreadId, out uint last);
        int gap = (int)(sequence - last - 1);

        // A restart at 1 is a new thread that got a dead thread's ID, not a loss.
        if (gap > 0 && sequence != 1)
        {
            DroppedEvents += gap;
        }

        _lastSequence[captureThreadId] = sequence;
    }

    private bool ReadVarUInt32(ref int pos, out int value)
    {
        bool ok = ReadVarUInt64(ref pos, out long wide);
        value = (int)wide;
        return ok && (ulong)wide <= uint.MaxValue;
    }

    private bool ReadVarUInt64(ref int pos, out long value)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70 && pos < _blockEnd; shift += 7)
        {
            byte b = _block[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                value = (long)result;
                return true;
            }
        }

        value = 0;
        return false;
    }

    private bool ExpectEndObject(string what)
    {
        if (!ReadByte(out byte tag))
        {
            return false;
        }

        if (tag != TagEndObject)
        {
            Finish(NettraceEnd.Malformed, $"{what} object is not closed by an end tag");
            return false;
        }

        return true;
    }

    private bool ReadByte(out byte value)
    {
        Span<byte> one = stackalloc byte[1];
        bool ok = ReadExact(one);
        value = one[0];
        return ok;
    }

    private bool ReadInt32(out int value)
    {
        Span<byte> four = stackalloc byte[4];
        bool ok = ReadExact(four);
        value = BinaryPrimitives.ReadInt32LittleEndian(four);
        return ok;
    }

    private bool Skip(int count)
    {
        Span<byte> scratch = stackalloc byte[4];
        return count == 0 || ReadExact(scratch[..count]);
    }

    /// <summary>Fills <paramref name="destination"/>; false (and the stream marked truncated) at end of stream.</summary>
    private bool ReadExact(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_inputPos == _inputEnd)
            {
                if (destination.Length >= _input.Length)
                {
                    // Large blocks go straight into their destination.
                    int direct = _stream.Read(destination);
                    if (direct <= 0)
                    {
                        Finish(NettraceEnd.Truncated, $"stream ended at offset {_position}");
                        return false;
                    }

                    _position += direct;
                    destination = destination[direct..];
                    continue;
                }

                _inputPos = 0;
                _inputEnd = _stream.Read(_input, 0, _input.Length);
                if (_inputEnd <= 0)
                {
                    _inputEnd = 0;
                    Finish(NettraceEnd.Truncated, $"stream ended at offset {_position}");
                    return false;
                }
            }

            int n = Math.Min(destination.Length, _inputEnd - _inputPos);
            _input.AsSpan(_inputPos, n).CopyTo(destination);
            _inputPos += n;
            _position += n;
            destination = destination[n..];
        }

        return true;
    }

    private struct HeaderState
    {
        public int MetadataId;
        public uint SequenceNumber;
        public long CaptureThreadId;
        public int ProcessorNumber;
        public long ThreadId;
        public int StackId;
        public long Timestamp;
        public bool IsSorted;
        public int PayloadSize;
    }
}
