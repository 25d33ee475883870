namespace Cases;

public class Ledger
{
    private long _balance;

    public long Post(long amount)
    {
        _balance += amount;
        return _balance;
    }
}
