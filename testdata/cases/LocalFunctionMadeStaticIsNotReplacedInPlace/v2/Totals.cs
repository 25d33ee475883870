namespace Cases;

public class Totals
{
    public int Sum(int[] values, int offset)
    {
        int total = 0;
        foreach (var value in values)
            total += Shift(value, offset);
        return total;

        static int Shift(int value, int offset) => value + offset * 2;
    }
}
