using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Lists
{
    public List<string> Pick(List<string> items, string part)
    {
        return items.Where(s => s.StartsWith(part)).ToList();
    }
}
