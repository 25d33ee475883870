namespace Cases;

public class Order
{
    private readonly int[] _quantities = new int[4];

    public long CountItems()
    {
        long count = 0;
        foreach (var quantity in _quantities)
            count += quantity;
        return count;
    }
}
