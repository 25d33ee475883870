using System.Threading.Tasks;

namespace Cases;

public class Cache
{
    private string? _value;

    public async Task<string> GetAsync()
    {
        await Task.Yield();
        return _value ?? "empty";
    }
}
