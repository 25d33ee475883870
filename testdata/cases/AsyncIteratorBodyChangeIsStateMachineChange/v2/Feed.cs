using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Cases;

public class Feed
{
    public async IAsyncEnumerable<string> ReadAsync(int count, [EnumeratorCancellation] CancellationToken token = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Delay(10, token);
            yield return "entry " + i;
        }
    }
}
