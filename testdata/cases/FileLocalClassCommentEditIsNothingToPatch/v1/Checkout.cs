namespace Cases;

public class Checkout
{
    public int Total(int amount) => new PriceRules().Apply(amount);
}

file class PriceRules
{
    public int Apply(int amount) => amount * 2;
}
