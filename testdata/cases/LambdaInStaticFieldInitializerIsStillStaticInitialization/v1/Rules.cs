using System;

namespace Cases;

public static class Rules
{
    public static readonly Func<int, bool> IsValid = n => n > 0;

    public static bool Check(int n) => IsValid(n);
}
