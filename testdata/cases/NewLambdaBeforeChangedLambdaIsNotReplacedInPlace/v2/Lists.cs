using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Lists
{
    public List<string> Pick(List<string> items, string part)
    {
        return items.Where(s => s.Contains(part)).Where(s => s.EndsWith(part)).ToList();
    }
}
