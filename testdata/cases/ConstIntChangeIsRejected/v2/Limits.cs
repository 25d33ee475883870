namespace Cases;

public class Basket
{
    public const int MaxItems = 100;

    private int _count;

    public bool TryAdd()
    {
        if (_count >= MaxItems)
            return false;
        _count++;
        return true;
    }
}
