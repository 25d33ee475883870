using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace PatchGen.Cli.Demo;

/// <summary>
/// Clients hammering the service with requests whose answers the fix changes, each over its own
/// connection, for as long as the demo runs. Every answer is checked against what v1 and the fixed
/// build give for that request: anything else (an error, a dropped connection, an answer neither
/// version gives, as a mixed old/new call chain could produce) is a failure.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly IReadOnlyList<(string Request, string V1, string V2)> _expected;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private long _v1;
    private long _v2;
    private long _same;
    private int _disposed;

    public LoadGenerator(int port, int clients, IReadOnlyList<(string Request, string V1, string V2)> expected)
    {
        _expected = expected;
        for (int i = 0; i < clients; i++)
        {
            int offset = i;
            _clients.Add(Task.Run(() => RunClient(port, offset)));
        }
    }

    public long V1Answers => Interlocked.Read(ref _v1);

    public long V2Answers => Interlocked.Read(ref _v2);

    /// <summary>Answers to requests whose answer the fix does not change (counted, but telling nothing about which code ran).</summary>
    public long SameAnswers => Interlocked.Read(ref _same);

    public long Total => V1Answers + V2Answers + SameAnswers + _failures.Count;

    public IReadOnlyCollection<string> Failures => _failures;

    public (long V1, long V2) Snapshot() => (V1Answers, V2Answers);

    private async Task RunClient(int port, int offset)
    {
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync("127.0.0.1", port, _stop.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
            for (int n = offset; !_stop.IsCancellationRequested; n++)
            {
                var (request, v1, v2) = _expected[n % _expected.Count];
                await writer.WriteLineAsync(request).ConfigureAwait(false);
                var answer = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                if (answer == v1 && v1 == v2)
                    Interlocked.Increment(ref _same);
                else if (answer == v1)
                    Interlocked.Increment(ref _v1);
                else if (answer == v2)
                    Interlocked.Increment(ref _v2);
                else
                    _failures.Enqueue($"{request} => {answer ?? "(connection closed)"}");
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            if (!_stop.IsCancellationRequested)
                _failures.Enqueue("connection failed: " + e.Message);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Cancel();
        try
        {
            Task.WaitAll(_clients.ToArray(), TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Each client records its own failures.
        }
        _stop.Dispose();
    }
}
