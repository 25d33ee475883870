using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Pipeline
{
    public Func<IEnumerable<int>, IEnumerable<string>> Build(int factor)
    {
        return items => items.Select(i => (i * factor).ToString());
    }
}
