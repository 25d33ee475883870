using System;
using System.Collections.Generic;

namespace Cases;

public static class Primes
{
    public static ReadOnlySpan<int> Small => [2, 3, 5, 7, 13];

    public static IEnumerable<string> Names() => ["two", "three", "five"];

    public static bool IsSmall(int n) => Small.Contains(n);
}
