using System.IO;
using System.Threading.Tasks;

namespace Cases;

public class Reader
{
    public async Task<string> ReadOrEmptyAsync(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
