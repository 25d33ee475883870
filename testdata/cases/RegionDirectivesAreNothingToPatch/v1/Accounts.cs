namespace Cases;

public class Accounts
{
    private decimal _balance;

    public void Deposit(decimal amount)
    {
        _balance += amount;
    }

    public bool Withdraw(decimal amount)
    {
        if (amount > _balance)
            return false;
        _balance -= amount;
        return true;
    }
}
