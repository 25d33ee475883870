namespace Cases;

public class Slot<T>
{
    private T? _value;
    private int _writes;

    public void Put(T value)
    {
        _value = value;
        _writes++;
    }

    public T? Value => _value;
}
