using System.Globalization;

namespace PatchGen.Runtime.Control;

/// <summary>
/// One accepted connection, served on its own background thread: request frames in, response frames
/// out, strictly alternating, until the client closes or breaks the protocol. Nothing a client sends
/// escapes <see cref="Run"/>; a bad connection is logged and closed.
/// </summary>
internal sealed class ControlSession
{
    /// <summary>A client that says nothing for this long is gone; its thread and connection slot are freed.</summary>
    private static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(10);

    private readonly Stream _stream;
    private readonly string _peer;

    // When the session began waiting for its client's next request (Stopwatch ticks), 0 while it is
    // handling one, -1 once evicted. The server evicts the session idle the longest when a new
    // connection finds every slot taken, so an operator always gets through (see TryEvict).
    private long _idleSince;

    public ControlSession(Stream stream, string peer)
    {
        _stream = stream;
        _peer = peer;
    }

    public void Run()
    {
        try
        {
            using (_stream)
                Serve();
        }
        catch (Exception e)
        {
            ControlLog.Write($"{_peer}: connection dropped: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Serve()
    {
        // Closing the stream is the one way to end a blocked read on every transport (socket or pipe).
        using var watchdog = new Timer(static stream => ((Stream)stream!).Dispose(), _stream, Timeout.Infinite, Timeout.Infinite);
        while (true)
        {
            watchdog.Change(IdleLimit, Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _idleSince, System.Diagnostics.Stopwatch.GetTimestamp(), 0) != 0)
                return; // evicted while answering
            var status = ControlFraming.Read(_stream, ControlFraming.MaxRequestBytes, out var frame, out uint declared);
            // A request may legitimately take long (a wait); only the client's silence is limited.
            watchdog.Change(Timeout.Infinite, Timeout.Infinite);
            if (Interlocked.Exchange(ref _idleSince, 0) < 0)
                return; // evicted while the request arrived: the stream is closed, nothing can be answered
            switch (status)
            {
                case FrameStatus.EndOfStream:
                    return;
                case FrameStatus.Truncated:
                    ControlLog.Write($"{_peer}: closed: the connection ended inside a frame");
                    return;
                case FrameStatus.TooLarge:
                    var message = $"a request of {declared.ToString(CultureInfo.InvariantCulture)} bytes is over the limit of {ControlFraming.MaxRequestBytes.ToString(CultureInfo.InvariantCulture)} bytes";
                    ControlLog.Write($"{_peer}: closed: {message}");
                    Respond(ControlJson.Error(ControlRequestHandler.MalformedId, message));
                    return;
            }
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            var reply = ControlRequestHandler.Handle(frame);
            Consistency.DebugLog.Write($"control: {_peer}: request of {frame.Length} bytes answered in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
            Respond(reply.Response);
            if (reply.CloseConnection)
            {
                ControlLog.Write($"{_peer}: closed: {reply.Response["error"]?["message"]}");
                return;
            }
        }
    }

    /// <summary>How long the session has been waiting for a request, or null while it handles one (or was evicted).</summary>
    public TimeSpan? IdleFor
    {
        get
        {
            long since = Volatile.Read(ref _idleSince);
            return since > 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(since) : null;
        }
    }

    /// <summary>
    /// Closes the connection if it is still waiting for a request (a request being handled is never cut
    /// off): the one compare-and-swap decides between this and the session starting to handle one.
    /// </summary>
    public bool TryEvict()
    {
        long since = Volatile.Read(ref _idleSince);
        if (since <= 0 || Interlocked.CompareExchange(ref _idleSince, -1, since) != since)
            return false;
        ControlLog.Write($"{_peer}: closed after {System.Diagnostics.Stopwatch.GetElapsedTime(since).TotalSeconds:0.0} s idle, to admit a new connection");
        _stream.Dispose();
        return true;
    }

    private void Respond(System.Text.Json.Nodes.JsonObject response)
    {
        var bytes = ControlJson.ToUtf8(response);
        if (bytes.Length > ControlFraming.MaxResponseBytes)
            bytes = ControlJson.ToUtf8(ControlJson.Error(ControlRequestHandler.MalformedId,
                $"the response would be {bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes, over the limit of {ControlFraming.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)} bytes"));
        ControlFraming.Write(_stream, bytes);
    }
}
