namespace Cases;

public class Tariff
{
    private decimal _rate;

    public Tariff(decimal rate) => _rate = rate;

    public decimal Apply(decimal amount) => amount * _rate;
}
