using System;
using System.Collections.Generic;

namespace Cases;

public static class Matchers
{
    public static Func<T?, bool> EqualTo<T>(T expected)
    {
        return x => EqualityComparer<T?>.Default.Equals(x, expected) || x is null;
    }
}
