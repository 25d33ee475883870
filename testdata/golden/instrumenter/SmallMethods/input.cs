using System.Runtime.CompilerServices;

namespace Golden;

// Bodies of at most 16 bytes of IL (the JIT's always-inline size) are marked AggressiveInlining and
// their slot is named i<N>; one byte more and they are left to the JIT's heuristics (slot s<N>). A
// method that already says NoInlining keeps it.
public class Point
{
    private int _x;
    private int _y;

    // 14 bytes.
    public int Sum() => _x + _y;

    // 16 bytes: still always inlined.
    public int SumPlusOne() => _x + _y + 1;

    // 17 bytes: not marked.
    public int SumPlusTen() => _x + _y + 10;

    // 4 bytes, static.
    public static int Twice(int value) => value * 2;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int PeekX() => _x;
}
