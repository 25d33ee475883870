using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Reports
{
    private readonly List<(string Name, decimal Amount)> _rows = new();

    public string Header(string title) => "== " + title + " ==";

    public IEnumerable<string> Names() => _rows.Select(r => r.Name).Distinct();

    public decimal Total(string name)
    {
        return _rows.Where(r => r.Name == name).Sum(r => r.Amount);
    }

    public Action<string> Printer(string prefix)
    {
        return line => Console.WriteLine(prefix + line);
    }
}
