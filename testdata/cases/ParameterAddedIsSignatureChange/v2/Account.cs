namespace Cases;

public class Account
{
    private decimal _balance;

    public bool Withdraw(decimal amount, decimal fee)
    {
        if (amount + fee > _balance)
            return false;
        _balance -= amount + fee;
        return true;
    }
}
