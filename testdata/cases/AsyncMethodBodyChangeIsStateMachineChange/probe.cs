// SizeAsync measures a downloaded text (served by a fake handler put into the private _http via reflection);
// v2 trims it first, so "  hello  " is 9 in v1 and 5 in v2.
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

public static class Probe
{
    private sealed class FakeHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("  hello  "), RequestMessage = request });
    }

    public static string Run()
    {
        var downloader = new Cases.Downloader();
        var field = typeof(Cases.Downloader).GetField("_http", BindingFlags.Instance | BindingFlags.NonPublic)!;
        ((HttpClient)field.GetValue(downloader)!).Dispose();
        using var client = new HttpClient(new FakeHandler());
        field.SetValue(downloader, client);
        return downloader.SizeAsync("http://probe.invalid/text").GetAwaiter().GetResult().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
