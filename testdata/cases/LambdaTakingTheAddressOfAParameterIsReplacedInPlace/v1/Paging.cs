using System;

namespace Cases;

public class Paging
{
    public Func<int?, int?, int> OffsetOf()
        => (page, size) => page.GetValueOrDefault(1) * size.GetValueOrDefault(10);
}
