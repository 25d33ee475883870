using System.Runtime.InteropServices;

namespace Cases;

[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct PacketHeader
{
    public byte Version;
    public int Length;
}
