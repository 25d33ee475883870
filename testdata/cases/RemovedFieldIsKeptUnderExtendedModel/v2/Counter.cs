namespace Cases;

public class Counter
{
    private int _total;

    public void Add(int amount)
    {
        _total += amount;
    }

    public string Report() => "total=" + _total;
}
