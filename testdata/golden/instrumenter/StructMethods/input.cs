using System;

namespace Golden;

// A struct's `this` is a managed pointer: the dispatch block passes it as is, and the stub's
// signature erases it to `ref byte`. A readonly method is no different.
public struct Money
{
    public long Cents;
    public string Currency;

    public Money Add(Money other)
    {
        if (other.Currency != Currency)
            throw new InvalidOperationException("currency mismatch");
        return new Money { Cents = Cents + other.Cents, Currency = Currency };
    }

    public readonly bool IsLargerThan(long cents)
    {
        return Cents > cents && Cents - cents > 100;
    }
}
