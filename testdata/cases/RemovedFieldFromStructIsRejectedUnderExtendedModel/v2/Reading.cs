namespace Cases;

public struct Reading
{
    public int Value;

    public int Average() => Value;
}
