using System;

namespace Cases;

public static class BusinessHours
{
    private static readonly TimeSpan Opening;

    public static bool IsOpen(DateTime now) => now.TimeOfDay >= Opening;
}
