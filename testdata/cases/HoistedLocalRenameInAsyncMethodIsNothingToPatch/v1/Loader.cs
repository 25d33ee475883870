using System.Threading.Tasks;

namespace Cases;

public class Loader
{
    public async Task<int> LoadAsync(int count)
    {
        int total = count * 2;
        await Task.Yield();
        return total + count;
    }
}
