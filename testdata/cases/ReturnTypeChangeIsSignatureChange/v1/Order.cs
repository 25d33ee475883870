namespace Cases;

public class Order
{
    private readonly int[] _quantities = new int[4];

    public int CountItems()
    {
        int count = 0;
        foreach (var quantity in _quantities)
            count += quantity;
        return count;
    }
}
