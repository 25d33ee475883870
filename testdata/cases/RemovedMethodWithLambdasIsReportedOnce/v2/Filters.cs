using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Filters
{
    private readonly List<string> _tags = new();

    public Func<string, bool> Matcher(string exact) => t => t == exact;

    public int Count() => _tags.Count;
}
