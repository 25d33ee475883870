using System.Threading;

namespace Cases;

public class Account
{
    private int _balance;
    private int _deposits;
    private string _currency = "EUR";
    private long _limit = 100;

    public void Deposit(int amount)
    {
        if (_balance + amount > _limit)
            return;
        _balance += amount;
        Interlocked.Increment(ref _deposits);
    }

    public string Report() => "balance=" + _balance + " " + _currency + " deposits=" + _deposits + " limit=" + _limit;
}
