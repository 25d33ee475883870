namespace Cases;

public struct Reading
{
    public double Value;

    public string Describe() => "value=" + Value;
}
