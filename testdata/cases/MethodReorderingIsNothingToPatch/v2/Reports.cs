using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Reports
{
    public Action<string> Printer(string prefix)
    {
        return line => Console.WriteLine(prefix + line);
    }

    public decimal Total(string name)
    {
        return _rows.Where(r => r.Name == name).Sum(r => r.Amount);
    }

    private readonly List<(string Name, decimal Amount)> _rows = new();

    public IEnumerable<string> Names() => _rows.Select(r => r.Name).Distinct();

    public string Header(string title) => "== " + title + " ==";
}
