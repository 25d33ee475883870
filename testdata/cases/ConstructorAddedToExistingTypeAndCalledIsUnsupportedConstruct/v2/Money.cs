namespace Cases;

public sealed class Money
{
    public Money(decimal amount)
    {
        Amount = amount;
    }

    public Money(decimal amount, int cents)
    {
        Amount = amount + cents / 100m;
    }

    public decimal Amount { get; }

    public string Currency => "EUR";
}

public static class Pricing
{
    public static Money Price(decimal amount)
    {
        return new Money(amount, 99);
    }
}
