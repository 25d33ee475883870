using System.Collections.Concurrent;
using System.Net.Sockets;

namespace PatchGen.Cli.Demo;

/// <summary>
/// Clients hammering the service with requests whose answers the fix changes, each over its own
/// connection (ShopService's line protocol, or HTTP to the web sample), for as long as the demo runs. Every answer is checked against what v1 and the fixed
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

    // Null while the clients run; while paused, a task they wait for before their next request (InterleavedThroughput
    // runs one build's load at a time). A request already sent completes and is counted as usual.
    private volatile TaskCompletionSource? _paused;

    /// <summary>Clients of ShopService's line protocol on <paramref name="port"/>.</summary>
    public LoadGenerator(int port, int clients, IReadOnlyList<(string Request, string V1, string V2)> expected)
        : this(cancellation => LineConnection.OpenAsync(port, cancellation), clients, expected)
    {
    }

    /// <summary>HTTP clients of the web app at <paramref name="baseAddress"/>.</summary>
    public LoadGenerator(Uri baseAddress, int clients, IReadOnlyList<(string Request, string V1, string V2)> expected)
        : this(_ => HttpConnection.OpenAsync(baseAddress), clients, expected)
    {
    }

    private LoadGenerator(Func<CancellationToken, Task<ILoadConnection>> connect, int clients, IReadOnlyList<(string Request, string V1, string V2)> expected)
    {
        _expected = expected;
        for (int i = 0; i < clients; i++)
        {
            int offset = i;
            _clients.Add(Task.Run(() => RunClient(connect, offset)));
        }
    }

    public long V1Answers => Interlocked.Read(ref _v1);

    public long V2Answers => Interlocked.Read(ref _v2);

    /// <summary>Answers to requests whose answer the fix does not change (counted, but telling nothing about which code ran).</summary>
    public long SameAnswers => Interlocked.Read(ref _same);

    public long Total => V1Answers + V2Answers + SameAnswers + _failures.Count;

    public IReadOnlyCollection<string> Failures => _failures;

    public (long V1, long V2) Snapshot() => (V1Answers, V2Answers);

    /// <summary>The clients stop sending after their request in flight, until <see cref="Resume"/>.</summary>
    public void Pause() => Interlocked.CompareExchange(ref _paused, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    public void Resume() => Interlocked.Exchange(ref _paused, null)?.TrySetResult();

    private async Task RunClient(Func<CancellationToken, Task<ILoadConnection>> connect, int offset)
    {
        try
        {
            using var connection = await connect(_stop.Token).ConfigureAwait(false);
            for (int n = offset; !_stop.IsCancellationRequested; n++)
            {
                if (_paused is { } paused)
                    await paused.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                var (request, v1, v2) = _expected[n % _expected.Count];
                var answer = await connection.AskAsync(request, _stop.Token).ConfigureAwait(false);
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
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e) when (e is IOException or SocketException or HttpRequestException or OperationCanceledException)
        {
            // A request that timed out (HttpClient cancels it) failed as much as a dropped connection.
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
