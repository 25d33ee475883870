namespace Cases;

public class Checkout
{
    public int Total(int amount) => new PriceRules().Apply(amount);
}

file class PriceRules
{
    private int _calls;

    public int Apply(int amount) => amount * 2 + _calls++;
}
