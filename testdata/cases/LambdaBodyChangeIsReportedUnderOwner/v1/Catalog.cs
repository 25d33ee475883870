using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Catalog
{
    private readonly List<string> _names = new();

    public List<string> Search(string prefix)
    {
        var matches = _names
            .Where(n => n.StartsWith(prefix))
            .ToList();
        return matches;
    }
}
