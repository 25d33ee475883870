using System.Runtime.CompilerServices;

namespace Golden;

// Bodies of at most 16 bytes of IL (the JIT's always-inline size) are marked AggressiveInlining and
// their slot is named i<N>; so are bodies of at most 32 bytes that return and have no loop, switch or
// exception handler (the ones the JIT's default policy inlines). Larger bodies, loops and throw helpers
// are left to the JIT's heuristics (slot s<N>). A method that already says NoInlining keeps it.
public class Point
{
    private int _x;
    private int _y;

    // 14 bytes.
    public int Sum() => _x + _y;

    // 16 bytes: always inlined.
    public int SumPlusOne() => _x + _y + 1;

    // 17 bytes: marked, it looks inlinable.
    public int SumPlusTen() => _x + _y + 10;

    // More than 32 bytes: not marked.
    public int Weighted(int a, int b, int c) => _x * a + _y * b + _x * c + _y * (a + b + c) + a * b * c + 1000;

    // A loop: not marked.
    public static int Halvings(int n)
    {
        int count = 0;
        while (n > 1)
        {
            n /= 2;
            count++;
        }
        return count;
    }

    // Never returns (a throw helper): not marked, the JIT keeps such a call out of line.
    public static void Fail() => throw new System.InvalidOperationException();

    // 4 bytes, static.
    public static int Twice(int value) => value * 2;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int PeekX() => _x;
}
