using System.Runtime.CompilerServices;

namespace Cases;

public static class Hardware
{
    public static int CoreCount() => System.Environment.ProcessorCount;
}
