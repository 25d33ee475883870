using System.Runtime.InteropServices;

namespace Cases;

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct PacketHeader
{
    public byte Version;
    public int Length;
}
