using System.Buffers.Binary;

namespace PatchGen.Runtime.Control;

/// <summary>
/// Frames of the control channel, both ways: a 4-byte little-endian length, then that many bytes of
/// UTF-8 JSON.
/// </summary>
internal static class ControlFraming
{
    /// <summary>A request carries a whole patch, base64.</summary>
    public const int MaxRequestBytes = 64 * 1024 * 1024;

    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private const int FirstBufferBytes = 64 * 1024;

    /// <summary>
    /// Reads one frame of at most <paramref name="maxLength"/> bytes. The buffer grows with the bytes
    /// that actually arrive, so a peer that claims a large frame and sends nothing costs nothing.
    /// </summary>
    public static FrameStatus Read(Stream stream, int maxLength, out byte[] body, out uint declaredLength)
    {
        body = Array.Empty<byte>();
        declaredLength = 0;
        Span<byte> prefix = stackalloc byte[4];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got == 0)
            return FrameStatus.EndOfStream;
        if (got < prefix.Length)
            return FrameStatus.Truncated;
        declaredLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (declaredLength > (uint)maxLength)
            return FrameStatus.TooLarge;
        int length = (int)declaredLength;
        var buffer = new byte[Math.Min(length, FirstBufferBytes)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, length));
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
                return FrameStatus.Truncated;
            filled += read;
        }
        body = buffer;
        return FrameStatus.Complete;
    }

    /// <summary>Writes one frame in a single write, so a frame is never interleaved or half sent by us.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        body.CopyTo(frame.AsSpan(4));
        stream.Write(frame);
        stream.Flush();
    }
}
