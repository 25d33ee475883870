using System;

namespace Cases;

public class Account
{
    private decimal _balance;

    public event EventHandler<decimal>? Overdrawn;

    public void Withdraw(decimal amount)
    {
        _balance -= amount;
        if (_balance < 0)
            Overdrawn?.Invoke(this, _balance);
    }
}
