namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// A one-way in-memory pipe: what the test writes, a reader thread reads, and a read with nothing to read blocks
/// until something is written or the feed is completed (then it reads the end of the stream). Lets a test decide
/// exactly when each block of a crafted NetTrace stream reaches <see cref="PatchGen.Runtime.Observation.NettraceReader"/>.
/// <para>Thread safe: one lock; writers and readers may be different threads.</para>
/// </summary>
internal sealed class FeedStream : Stream
{
    private readonly object _lock = new();
    private readonly Queue<byte[]> _chunks = new();
    private int _offset;
    private bool _completed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>No more writes: readers read what is left, then the end of the stream.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            while (_chunks.Count == 0 && !_completed)
            {
                Monitor.Wait(_lock);
            }

            if (_chunks.Count == 0)
            {
                return 0;
            }

            byte[] chunk = _chunks.Peek();
            int n = Math.Min(count, chunk.Length - _offset);
            Array.Copy(chunk, _offset, buffer, offset, n);
            _offset += n;
            if (_offset == chunk.Length)
            {
                _chunks.Dequeue();
                _offset = 0;
            }

            return n;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            if (_completed)
            {
                throw new InvalidOperationException("the feed was completed");
            }

            if (count > 0)
            {
                _chunks.Enqueue(buffer.AsSpan(offset, count).ToArray());
                Monitor.PulseAll(_lock);
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
        }

        base.Dispose(disposing);
    }
}
