namespace PatchGen.Runtime.Observation;

/// <summary>
/// A running EventPipe session of this process: its ID and the connection its NetTrace stream arrives
/// on. Disposing stops the session (if not already stopped) and closes the connection; both are safe
/// to repeat.
/// </summary>
internal sealed class EventPipeSession : INettraceSource
{
    private readonly TimeSpan _timeout;
    private int _stopped;
    private int _disposed;

    internal EventPipeSession(ulong sessionId, Stream stream, TimeSpan timeout)
    {
        SessionId = sessionId;
        Stream = stream;
        _timeout = timeout;
    }

    public ulong SessionId { get; }

    /// <summary>The NetTrace stream. It ends once the session is stopped and its last events are sent.</summary>
    public Stream Stream { get; }

    /// <summary>
    /// Stops the session. Events still buffered (and the rundown, if requested) are then written to
    /// <see cref="Stream"/>, which ends. Only the first call talks to the server.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            DiagnosticsIpcClient.StopSession(SessionId, _timeout);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Stop();
        }
        catch (DiagnosticsIpcException)
        {
            // Closing the stream below ends the session anyway: the runtime stops a streaming
            // session whose reader went away.
        }
        finally
        {
            Stream.Dispose();
        }
    }
}
