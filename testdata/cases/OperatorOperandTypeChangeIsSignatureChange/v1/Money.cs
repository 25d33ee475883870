namespace Cases;

public readonly struct Money
{
    public Money(decimal amount) => Amount = amount;

    public decimal Amount { get; }

    public static Money operator *(Money money, int factor) => new Money(money.Amount * factor);
}
