using System.Runtime.InteropServices;

namespace Cases;

[StructLayout(LayoutKind.Auto)]
public struct CartTotals
{
    public int Items;
    public decimal Net;
}
