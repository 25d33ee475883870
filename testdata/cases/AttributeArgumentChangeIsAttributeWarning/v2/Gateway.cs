using System;

namespace Cases;

public class Gateway
{
    [Obsolete("Use SendAsync; Send will be removed in 3.0")]
    public void Send(string message)
    {
        Console.WriteLine(message);
    }
}
