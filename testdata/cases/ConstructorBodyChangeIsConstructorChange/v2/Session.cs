using System;

namespace Cases;

public class Session
{
    private readonly DateTime _expires;

    public Session(DateTime now)
    {
        _expires = now.AddMinutes(30);
    }

    public bool IsExpired(DateTime now) => now > _expires;
}
