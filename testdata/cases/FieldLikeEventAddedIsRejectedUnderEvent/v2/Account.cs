using System;

namespace Cases;

public class Account
{
    private decimal _balance;

    public event EventHandler<decimal>? Deposited;

    public void Deposit(decimal amount)
    {
        _balance += amount;
        Deposited?.Invoke(this, amount);
    }
}
