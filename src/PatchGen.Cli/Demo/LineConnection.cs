using System.Net.Sockets;
using System.Text;

namespace PatchGen.Cli.Demo;

/// <summary>A connection to ShopService's loopback line protocol: a request is a line, its answer the next line.</summary>
internal sealed class LineConnection : ILoadConnection
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private LineConnection(TcpClient client)
    {
        _client = client;
        var stream = client.GetStream();
        _reader = new StreamReader(stream, new UTF8Encoding(false));
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
    }

    public static async Task<ILoadConnection> OpenAsync(int port, CancellationToken cancellation)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellation).ConfigureAwait(false);
            return new LineConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<string?> AskAsync(string request, CancellationToken cancellation)
    {
        await _writer.WriteLineAsync(request).ConfigureAwait(false);
        return await _reader.ReadLineAsync(cancellation).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _reader.Dispose();
        _client.Dispose();
    }
}
