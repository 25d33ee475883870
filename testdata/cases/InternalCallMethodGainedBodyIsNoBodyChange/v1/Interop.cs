using System.Runtime.CompilerServices;

namespace Cases;

public static class Hardware
{
    [MethodImpl(MethodImplOptions.InternalCall)]
    public static extern int CoreCount();
}
