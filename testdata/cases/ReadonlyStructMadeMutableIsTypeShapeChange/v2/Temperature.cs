namespace Cases;

public struct Temperature
{
    private readonly double _celsius;

    public Temperature(double celsius) => _celsius = celsius;

    public double ToFahrenheit() => _celsius * 9 / 5 + 32;
}
