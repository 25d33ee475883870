namespace Cases;

public class Limits
{
    public const int MaxItems = 50;

    private int _count;

    public bool CanAdd() => _count < MaxItems;
}
