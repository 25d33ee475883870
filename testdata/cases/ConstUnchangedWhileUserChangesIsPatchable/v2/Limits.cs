namespace Cases;

public class Basket
{
    public const int MaxItems = 50;

    private int _count;

    public bool TryAdd()
    {
        if (_count + 1 > MaxItems)
            return false;
        _count++;
        return true;
    }
}
