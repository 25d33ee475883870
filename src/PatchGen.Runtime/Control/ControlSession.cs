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
            var status = ControlFraming.Read(_stream, ControlFraming.MaxRequestBytes, out var frame, out uint declared);
            // A request may legitimately take long (a wait); only the client's silence is limited.
            watchdog.Change(Timeout.Infinite, Timeout.Infinite);
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
            var reply = ControlRequestHandler.Handle(frame);
            Respond(reply.Response);
            if (reply.CloseConnection)
            {
                ControlLog.Write($"{_peer}: closed: {reply.Response["error"]?["message"]}");
                return;
            }
        }
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
