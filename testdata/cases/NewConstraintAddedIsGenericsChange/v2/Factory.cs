using System;

namespace Cases;

public static class Factory
{
    public static T Create<T>() where T : new()
    {
        return Activator.CreateInstance<T>();
    }
}
