namespace Cases;

public class Accounts
{
    #region State
    private decimal _balance;
    #endregion

    #region Operations

    public void Deposit(decimal amount)
    {
        _balance += amount;
    }

#pragma warning disable CA1822
    public bool Withdraw(decimal amount)
    {
        if (amount > _balance)
            return false;
        _balance -= amount;
        return true;
    }
#pragma warning restore CA1822

    #endregion
}
