using System;
using System.Threading.Tasks;

namespace Cases;

public class Worker
{
    public Func<int, Task<int>> Job()
    {
        return async n =>
        {
            await Task.Delay(n);
            return n * 2;
        };
    }
}
