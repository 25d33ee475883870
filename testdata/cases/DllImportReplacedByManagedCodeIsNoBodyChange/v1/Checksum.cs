using System.Runtime.InteropServices;

namespace Cases;

public static class Checksum
{
    [DllImport("z", EntryPoint = "adler32")]
    public static extern uint Adler32(uint adler, byte[] buffer, uint length);
}
