namespace Cases;

public class Slot<T> where T : class
{
    private T? _value;

    public bool IsEmpty => _value is null;

    public void Fill(T value) => _value = value;
}
