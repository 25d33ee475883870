using System;

namespace Cases;

public static class BusinessHours
{
    private static readonly TimeSpan Opening = TimeSpan.FromHours(9);

    public static bool IsOpen(DateTime now) => now.TimeOfDay >= Opening;
}
