using System;

namespace Cases;

public class Validator
{
    private readonly Func<string, bool> _rule = s => s.Length > 5;

    public bool Check(string value) => _rule(value);
}
