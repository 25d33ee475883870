using System.Runtime.CompilerServices;

namespace Cases;

public class Hasher
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Mix(int a, int b)
    {
        return (a * 31) ^ b;
    }
}
