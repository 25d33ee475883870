namespace PatchGen.Runtime.Observation;

/// <summary>Why a conversation with the runtime's diagnostic server failed.</summary>
internal enum DiagnosticsIpcFailure
{
    /// <summary>
    /// No diagnostic server to talk to: it is disabled (<c>DOTNET_EnableDiagnostics=0</c> or
    /// <c>DOTNET_EnableDiagnostics_IPC=0</c>), its socket was removed from the temporary folder, or it
    /// refused the connection. The caller reports this rather than retrying: it will not change.
    /// </summary>
    ServerUnavailable,

    /// <summary>The server answered with an error (its HRESULT is in <see cref="DiagnosticsIpcException.ErrorCode"/>).</summary>
    CommandRejected,

    /// <summary>The server closed the connection or answered something that is not the protocol.</summary>
    ProtocolError,

    /// <summary>The server did not answer within the allowed time.</summary>
    Timeout,
}

/// <summary>
/// A failed request to this process's diagnostic server. Its own type so that a caller can tell
/// "observation is not possible here" from a bug, and say so to the user.
/// </summary>
internal sealed class DiagnosticsIpcException : Exception
{
    public DiagnosticsIpcException(DiagnosticsIpcFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public DiagnosticsIpcException(uint errorCode, string message)
        : base(message)
    {
        Failure = DiagnosticsIpcFailure.CommandRejected;
        ErrorCode = errorCode;
    }

    public DiagnosticsIpcFailure Failure { get; }

    /// <summary>The HRESULT the server returned, when <see cref="Failure"/> is <see cref="DiagnosticsIpcFailure.CommandRejected"/>.</summary>
    public uint? ErrorCode { get; }
}
