using System.Diagnostics;
using System.Net;

namespace PatchGen.Macro.Web;

/// <summary>
/// Closed-loop HTTP load from this process: <c>connections</c> workers, each with its own keep-alive connection,
/// send the request mix in turn as fast as the server answers, and compare every answer with the one expected
/// (status 200 and the exact body plain #1 gave). Bounded in time, loopback only.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _baseAddress;
    private readonly IReadOnlyList<WebRequest> _requests;
    private readonly int _connections;

    public LoadGenerator(Uri baseAddress, IReadOnlyList<WebRequest> requests, int connections)
    {
        _baseAddress = baseAddress;
        _requests = requests;
        _connections = connections;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Sends every request once and returns the answers, for the reference and the pre-check.</summary>
    public async Task<List<string>> FetchAllAsync()
    {
        var answers = new List<string>();
        foreach (var request in _requests)
        {
            using var response = await _client.SendAsync(request.ToMessage(_baseAddress)).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{request} answered {(int)response.StatusCode}: {body}");
            answers.Add(body);
        }
        return answers;
    }

    /// <summary>Runs the load for <paramref name="duration"/>; returns how many answers came back right, and the wrong ones.</summary>
    public async Task<(long Requests, IReadOnlyList<string> Failures)> RunAsync(TimeSpan duration, IReadOnlyList<string> expected)
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long completed = 0;
        var clock = Stopwatch.StartNew();
        async Task Worker(int worker)
        {
            for (int i = worker; clock.Elapsed < duration; i++)
            {
                int index = i % _requests.Count;
                try
                {
                    using var response = await _client.SendAsync(_requests[index].ToMessage(_baseAddress)).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK || body != expected[index])
                        failures.Enqueue($"{_requests[index]}: {(int)response.StatusCode} {Clip(body)}");
                    else
                        Interlocked.Increment(ref completed);
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"{_requests[index]}: {e.Message}");
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, _connections).Select(w => Task.Run(() => Worker(w)))).ConfigureAwait(false);
        return (completed, failures.ToList());
    }

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "...";

    public void Dispose() => _client.Dispose();
}
