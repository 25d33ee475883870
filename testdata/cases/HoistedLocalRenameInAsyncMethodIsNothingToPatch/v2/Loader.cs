using System.Threading.Tasks;

namespace Cases;

public class Loader
{
    public async Task<int> LoadAsync(int items)
    {
        int loaded = items * 2;
        await Task.Yield();
        return loaded + items;
    }
}
