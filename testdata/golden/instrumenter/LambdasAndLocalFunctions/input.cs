using System;
using System.Linq;

namespace Golden;

// Lambdas and local functions are methods of compiler-generated types (or of the type itself, for a
// lambda that captures only `this`): each gets its own site.
public class Scorer
{
    private int _bonus = 3;

    public int[] Scores(int[] values, int factor)
    {
        return values.Select(v => v * factor + _bonus).ToArray();
    }

    public Func<int, int> Adder() => x => x + _bonus;

    public static int Twice(int value)
    {
        return Double(value) + 1;

        static int Double(int x) => x * 2;
    }
}
