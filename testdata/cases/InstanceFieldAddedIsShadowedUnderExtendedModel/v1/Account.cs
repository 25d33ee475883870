namespace Cases;

public class Account
{
    private int _balance;

    public void Deposit(int amount)
    {
        _balance += amount;
    }

    public string Report() => "balance=" + _balance;
}
