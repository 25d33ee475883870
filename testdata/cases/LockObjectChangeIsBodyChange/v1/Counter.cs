namespace Cases;

public class Counter
{
    private readonly object _gate = new();
    private readonly object _statsGate = new();
    private int _value;

    public int Increment()
    {
        lock (this)
        {
            return ++_value;
        }
    }

    public int Read()
    {
        lock (_statsGate)
        {
            return _value;
        }
    }
}
