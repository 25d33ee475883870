namespace Cases;

public static class Totals
{
    public static int SumOfSquares(int[] values)
    {
        int total = 0;
        foreach (var v in values)
            Add(v * v);
        return total;

        void Add(int amount)
        {
            total = checked(total + amount);
        }
    }
}
