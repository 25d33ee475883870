namespace Cases;

public class Slot<T>
{
    private T? _value;

    public void Put(T value) => _value = value;

    public T? Value => _value;
}
