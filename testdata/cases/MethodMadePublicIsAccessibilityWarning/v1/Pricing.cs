namespace Cases;

public class Pricing
{
    public decimal Quote(decimal amount) => amount + Fee(amount);

    private decimal Fee(decimal amount)
    {
        return amount * 0.02m;
    }
}
