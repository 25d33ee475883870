namespace Cases;

public class Account
{
    private decimal _balance;
    private int _transactionCount;

    public void Deposit(decimal amount)
    {
        _balance += amount;
        _transactionCount++;
    }
}
