using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// A file read while another party is still appending to it: a read past what is written so far waits for more,
/// until <see cref="_writerDone"/> completes; only then is the end of the file the end of the stream.
/// <see cref="InProcessTraceSession.StopWhileReading"/> reads the trace this way while the runtime disables the
/// session on another thread: the runtime writes the session's events first and its rundown after them, so the
/// reader has the events it needs long before the disable returns.
/// </summary>
/// <remarks>
/// Reads go through <see cref="RandomAccess"/> at this stream's own offset (<c>pread</c>), so the file's length is
/// asked anew at every read (a <see cref="FileStream"/> may cache it) and the writer's own file offset is untouched.
/// What a read returns was written before it by the writer's <c>write</c> calls, in order: a block header is never
/// followed by older bytes. A reader that asks for a whole block waits for the rest of it, 0.2 ms at a time.
/// </remarks>
internal sealed class GrowingFileStream : Stream
{
    private readonly SafeFileHandle _file;
    private readonly Task _writerDone;
    private long _position;

    /// <param name="path">The file, opened here for reading.</param>
    /// <param name="writerDone">Completes once nothing more will be written.</param>
    public GrowingFileStream(string path, Task writerDone)
    {
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _writerDone = writerDone;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        while (true)
        {
            // Whether the writer was done is read before the file: a read that then finds nothing new is the end.
            bool writerDone = _writerDone.IsCompleted;
            int read = RandomAccess.Read(_file, buffer, _position);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            if (writerDone)
                return 0;
            WaitForWriter();
        }
    }

    /// <summary>
    /// A short wait for more bytes. Sleep rather than spin: on a machine of few cores a spinning reader takes a core
    /// from the writer it waits for. On Linux and macOS 0.2 ms (<c>usleep</c>): the shortest wait .NET offers is a
    /// millisecond, and a stack snapshot, which waits here for the runtime to write its samples, is done a few ms
    /// after they are written, so a millisecond's poll was a tenth of it. Elsewhere a millisecond, or until the
    /// writer is done.
    /// </summary>
    private void WaitForWriter()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            Sleep(PollMicroseconds);
        else
            ((IAsyncResult)_writerDone).AsyncWaitHandle.WaitOne(1); // (a faulted writer is seen done at the next read)
    }

    private const uint PollMicroseconds = 200;

    [DllImport("libc", EntryPoint = "usleep")]
    private static extern int Sleep(uint microseconds);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _file.Dispose();
        base.Dispose(disposing);
    }
}
