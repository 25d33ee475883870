using System;

namespace Cases;

public class Gateway
{
    [Obsolete("Use SendAsync")]
    public void Send(string message)
    {
        Console.WriteLine(message);
    }
}
