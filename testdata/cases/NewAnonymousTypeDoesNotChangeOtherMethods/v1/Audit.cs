using System.Collections.Generic;

namespace Cases;

public class Audit
{
    private readonly List<object> _entries = new();

    public void Login(string user)
    {
        _entries.Add(new { Kind = "login", User = user });
    }

    public void Purchase(string user, decimal amount)
    {
        _entries.Add(user);
        _entries.Add(amount);
    }

    public void Logout(string user)
    {
        _entries.Add(new { Kind = "logout", Who = user, Forced = false });
    }
}
