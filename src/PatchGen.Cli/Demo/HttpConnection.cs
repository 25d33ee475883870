using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace PatchGen.Cli.Demo;

/// <summary>
/// One HTTP/1.1 client of a web app (one keep-alive connection, as a browser or a service calling it).
/// A request is written <c>GET /path</c> or <c>POST /path {json body}</c>; its answer is the status code
/// and the body, <c>200 {"page":1,...}</c>, so that one string says everything a client sees.
/// </summary>
internal sealed class HttpConnection : ILoadConnection
{
    private readonly HttpClient _client;

    public HttpConnection(Uri baseAddress)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public static Task<ILoadConnection> OpenAsync(Uri baseAddress) => Task.FromResult<ILoadConnection>(new HttpConnection(baseAddress));

    public async Task<string?> AskAsync(string request, CancellationToken cancellation)
    {
        using var message = Parse(request);
        using var response = await _client.SendAsync(message, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + body;
    }

    /// <summary>Every request once, each answer in order: what a build answers, to compare with another build's.</summary>
    public static async Task<List<string>> AskAllAsync(Uri baseAddress, IEnumerable<string> requests)
    {
        using var connection = new HttpConnection(baseAddress);
        var answers = new List<string>();
        foreach (var request in requests)
            answers.Add(await connection.AskAsync(request, CancellationToken.None).ConfigureAwait(false) ?? "");
        return answers;
    }

    private static HttpRequestMessage Parse(string request)
    {
        var parts = request.Split(' ', 3);
        var message = new HttpRequestMessage(new HttpMethod(parts[0]), parts[1]);
        if (parts.Length == 3)
            message.Content = new StringContent(parts[2], Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        return message;
    }

    public void Dispose() => _client.Dispose();
}
