namespace Cases;

public class Pricing
{
    public decimal Quote(decimal amount) => amount + Fee(amount);

    public decimal Fee(decimal amount)
    {
        return amount * 0.03m;
    }
}
