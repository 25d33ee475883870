using System.Runtime.InteropServices;

namespace Cases;

public static class Compression
{
    [DllImport("libz.so.1", EntryPoint = "crc32")]
    public static extern uint Crc32(uint crc, byte[] buffer, uint length);
}
