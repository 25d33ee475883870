// A new session checked 25 minutes after a fixed start: v1 expires after 20 minutes, v2 after 30.
using System;

public static class Probe
{
    public static string Run()
    {
        var start = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var session = new Cases.Session(start);
        return session.IsExpired(start.AddMinutes(15)) + " " + session.IsExpired(start.AddMinutes(25)) + " " + session.IsExpired(start.AddMinutes(35));
    }
}
