namespace Cases;

public class Orders
{
    public int Fee(int amount) => new Rules().Apply(amount);
}

file class Rules
{
    public int Apply(int amount) => amount + 1;
}
