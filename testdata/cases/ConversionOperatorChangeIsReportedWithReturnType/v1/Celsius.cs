namespace Cases;

public readonly struct Celsius
{
    public Celsius(double value) => Value = value;

    public double Value { get; }

    public static implicit operator double(Celsius c) => c.Value;

    public static explicit operator int(Celsius c) => (int)c.Value;
}
