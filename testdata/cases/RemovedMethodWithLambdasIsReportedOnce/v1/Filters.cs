using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Filters
{
    private readonly List<string> _tags = new();

    public IEnumerable<string> ByPrefix(string prefix)
    {
        return _tags.Where(t => t.StartsWith(prefix)).Select(t => t.ToUpperInvariant());
    }

    public Func<string, bool> Matcher(string exact) => t => t == exact;

    public int Count() => _tags.Count;
}
