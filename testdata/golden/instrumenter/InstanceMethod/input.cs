namespace Golden;

// A plain instance method, larger than the JIT's always-inline size: the slot check on entry, the
// original body, then the cold dispatch block passing `this` (erased to object) and the arguments.
public class Account
{
    private decimal _balance;
    private int _operations;

    public decimal Deposit(decimal amount)
    {
        if (amount <= 0)
            throw new System.ArgumentOutOfRangeException(nameof(amount));
        _balance += amount;
        _operations++;
        return _balance;
    }
}
