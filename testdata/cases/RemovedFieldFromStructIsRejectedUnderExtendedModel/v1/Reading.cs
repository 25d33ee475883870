namespace Cases;

public struct Reading
{
    public int Value;
    public int Samples;

    public int Average() => Samples == 0 ? Value : Value / Samples;
}
