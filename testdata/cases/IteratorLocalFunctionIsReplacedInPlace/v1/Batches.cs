using System;
using System.Collections.Generic;

namespace Cases;

public static class Batches
{
    public static IEnumerable<int[]> Split(int[] items, int size)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(nameof(size));
        return Iterate();

        IEnumerable<int[]> Iterate()
        {
            for (int i = 0; i < items.Length; i += size)
                yield return items[i..Math.Min(i + size, items.Length)];
        }
    }
}
