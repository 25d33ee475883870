using System;

namespace Cases;

public class Connection
{
    private bool _open = true;

    public bool IsOpen => _open;

    public void Dispose() => _open = false;
}
