using System.Threading.Tasks;

namespace Cases;

public class Cache
{
    private string? _value;

    public Task<string> GetAsync()
    {
        return Task.FromResult(_value ?? "empty");
    }
}
