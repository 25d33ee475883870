using System.Runtime.InteropServices;

namespace Cases;

[StructLayout(LayoutKind.Explicit)]
public struct PackedPrice
{
    [FieldOffset(0)] public long Raw;
    [FieldOffset(0)] public int Cents;
    [FieldOffset(4)] public int CurrencyCode;
}
