using System;

namespace Cases;

public readonly record struct Money(decimal Amount, string Currency)
{
    public static Money operator +(Money a, Money b)
    {
        return new Money(a.Amount + b.Amount, a.Currency);
    }

    public static explicit operator decimal(Money money) => money.Amount;
}
