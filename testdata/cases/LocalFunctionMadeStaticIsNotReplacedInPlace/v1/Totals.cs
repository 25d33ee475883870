namespace Cases;

public class Totals
{
    public int Sum(int[] values, int offset)
    {
        int total = 0;
        foreach (var value in values)
            total += Shift(value);
        return total;

        int Shift(int value) => value + offset;
    }
}
