namespace Cases;

public class Refunds
{
    public int Fee(int amount) => new Rules().Apply(amount);
}

file class Rules
{
    public int Apply(int amount) => amount + 1;
}
