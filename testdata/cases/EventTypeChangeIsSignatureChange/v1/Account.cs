using System;

namespace Cases;

public class Account
{
    private decimal _balance;

    public event EventHandler? Overdrawn;

    public void Withdraw(decimal amount)
    {
        _balance -= amount;
        if (_balance < 0)
            Overdrawn?.Invoke(this, EventArgs.Empty);
    }
}
