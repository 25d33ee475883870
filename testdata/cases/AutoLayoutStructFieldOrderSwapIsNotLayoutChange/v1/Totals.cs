using System.Runtime.InteropServices;

namespace Cases;

[StructLayout(LayoutKind.Auto)]
public struct CartTotals
{
    public decimal Net;
    public int Items;
}
