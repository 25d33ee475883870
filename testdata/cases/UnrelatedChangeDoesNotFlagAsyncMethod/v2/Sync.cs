using System.Threading.Tasks;

namespace Cases;

public class Sync
{
    private int _version;

    public async Task<int> PullAsync()
    {
        await Task.Yield();
        return Next();
    }

    private int Next()
    {
        _version += 2;
        return _version;
    }
}
