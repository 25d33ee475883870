using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShopService.Server;

/// <summary>
/// Serves <see cref="RequestHandler"/> over loopback TCP, one request per line, many connections at
/// once. Only the socket plumbing is async; the shop logic stays synchronous (and patchable).
/// </summary>
public sealed class LineServer
{
    private readonly RequestHandler _handler;
    private readonly TcpListener _listener;

    public LineServer(RequestHandler handler, int port)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, port);
    }

    /// <summary>The bound port (useful when port 0 asked the OS to choose).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start() => _listener.Start();

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var registration = cancellation.Register(_listener.Stop);
        var connections = new List<Task>();
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(cancellation).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(Task.Run(() => ServeAsync(client, cancellation), CancellationToken.None));
            }
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener is how a pending accept is cancelled.
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellation)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, new UTF8Encoding(false));
                using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
                while (await reader.ReadLineAsync(cancellation).ConfigureAwait(false) is { } line)
                {
                    if (line.Trim().Equals("QUIT", StringComparison.OrdinalIgnoreCase))
                    {
                        await writer.WriteLineAsync("BYE").ConfigureAwait(false);
                        break;
                    }
                    string response;
                    try
                    {
                        response = _handler.Handle(line);
                    }
                    catch (Exception e)
                    {
                        // A bug in the shop must cost one request, never the connection or the process.
                        response = "ERR internal " + e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" ");
                    }
                    await writer.WriteLineAsync(response).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping; nothing to report to anyone.
            }
        }
    }
}
