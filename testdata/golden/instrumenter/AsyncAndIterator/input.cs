using System.Collections.Generic;
using System.Threading.Tasks;

namespace Golden;

// The kickoff method of an async method or iterator gets a site, and so does the state machine's
// MoveNext, where the user's code runs: a patch of the method replaces both.
public class Feed
{
    public async Task<int> CountAsync(int delay)
    {
        await Task.Delay(delay);
        return delay * 2;
    }

    public IEnumerable<int> Squares(int count)
    {
        for (int i = 0; i < count; i++)
            yield return i * i;
    }
}
