using System.Runtime.InteropServices;

namespace Cases;

[StructLayout(LayoutKind.Sequential, Size = 32)]
public struct Reservation
{
    public int ProductId;
    public int Quantity;
}
