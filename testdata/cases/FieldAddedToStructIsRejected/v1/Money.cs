namespace Cases;

public struct Money
{
    public decimal Amount;

    public Money(decimal amount) => Amount = amount;

    public override string ToString() => Amount.ToString("0.00");
}
