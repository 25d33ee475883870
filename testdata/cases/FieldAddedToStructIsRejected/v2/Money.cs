namespace Cases;

public struct Money
{
    public decimal Amount;
    public string Currency;

    public Money(decimal amount)
    {
        Amount = amount;
        Currency = "EUR";
    }

    public override string ToString() => Amount.ToString("0.00") + " " + Currency;
}
