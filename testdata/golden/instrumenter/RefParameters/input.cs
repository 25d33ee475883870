using System;

namespace Golden;

// ref, in and out parameters and ref returns are managed pointers: erased to `ref byte` in the stub's
// signature. A span stays exactly as it is (value types are not erased); a pointer becomes native int.
public static unsafe class Buffers
{
    private static readonly int[] s_cells = new int[4];

    public static ref int Cell(int index) => ref s_cells[index];

    public static void Swap(ref string a, ref string b)
    {
        var t = a;
        a = b;
        b = t;
    }

    public static bool TryHalve(in int value, out int half)
    {
        half = value / 2;
        return value % 2 == 0;
    }

    public static int Sum(ReadOnlySpan<int> values)
    {
        int total = 0;
        foreach (var value in values)
            total += value;
        return total;
    }

    public static int Read(int* pointer, int offset) => pointer[offset] + pointer[offset + 1];
}
