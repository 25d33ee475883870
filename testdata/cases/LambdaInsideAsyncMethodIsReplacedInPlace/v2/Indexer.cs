using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Cases;

public class Indexer
{
    public async Task<List<string>> WordsAsync(TextReader reader, int minLength)
    {
        var text = await reader.ReadToEndAsync();
        return text
            .Split(' ')
            .Where(w => w.Trim().Length >= minLength)
            .ToList();
    }
}
