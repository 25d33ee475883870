namespace Cases;

public struct Reading
{
    public double Value;
    public int Samples;

    public string Describe() => "value=" + Value + " samples=" + Samples;
}
