namespace Cases;

public class Checkout
{
    public int Total(int amount) => new PriceRules().Apply(amount);
}

// Prices before discounts.
file class PriceRules
{
    public int Apply(int amount) => amount * 2;
}
