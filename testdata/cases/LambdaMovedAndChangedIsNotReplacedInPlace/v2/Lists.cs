using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Lists
{
    public List<string> Pick(List<string> items, string part, int min)
    {
        return items.Where(s => s.Length > min).Where(s => s.EndsWith(part)).ToList();
    }
}
