namespace Cases;

public class Account
{
    private decimal _balance;

    public bool Withdraw(decimal amount)
    {
        if (amount > _balance)
            return false;
        _balance -= amount;
        return true;
    }
}
