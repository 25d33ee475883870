namespace Cases;

public class Counter
{
    private int _total;
    private int _calls;

    public void Add(int amount)
    {
        _total += amount;
        _calls++;
    }

    public string Report() => "total=" + _total + " calls=" + _calls;
}
