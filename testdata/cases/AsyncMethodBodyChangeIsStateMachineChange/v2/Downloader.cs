using System.Net.Http;
using System.Threading.Tasks;

namespace Cases;

public class Downloader
{
    private readonly HttpClient _http = new();

    public async Task<int> SizeAsync(string url)
    {
        var text = await _http.GetStringAsync(url);
        var size = text.Trim().Length;
        return size;
    }
}
