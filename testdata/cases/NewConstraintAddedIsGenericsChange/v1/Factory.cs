using System;

namespace Cases;

public static class Factory
{
    public static T Create<T>()
    {
        return Activator.CreateInstance<T>();
    }
}
