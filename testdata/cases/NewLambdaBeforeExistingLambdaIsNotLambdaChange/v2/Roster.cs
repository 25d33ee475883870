using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Roster
{
    private readonly List<string> _members = new();

    public string[] Active(string team)
    {
        return _members
            .Where(m => m.Length > 0)
            .Where(m => m.StartsWith(team))
            .Select(m => m.ToUpperInvariant())
            .ToArray();
    }
}
