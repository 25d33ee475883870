using System.Runtime.CompilerServices;

namespace Cases;

[InlineArray(8)]
public struct Buffer
{
    private int _element;

    public int Sum()
    {
        int sum = 0;
        foreach (var value in this)
            sum += value;
        return sum;
    }
}
