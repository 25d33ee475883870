namespace Cases;

public class Limits
{
    private int _count;

    public bool CanAdd() => _count < 50;
}
