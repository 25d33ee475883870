namespace Golden;

// Steady stubs (an instrumenter option): a static and an instance method call their signature's steady stub,
// which calls the full stub d<k>t while a transition changes the function; generic code keeps one full stub.
public static class Pricing
{
    public static int Discount(int total, int percent)
    {
        if (percent < 0 || percent > 100)
            return total;
        return total - total * percent / 100;
    }
}

public class Account
{
    private decimal _balance;

    public decimal Deposit(decimal amount)
    {
        if (amount <= 0)
            throw new System.ArgumentOutOfRangeException(nameof(amount));
        _balance += amount;
        return _balance;
    }
}

public class Registry<T>
{
    private readonly System.Collections.Generic.List<T> _items = new();

    public bool Remove(T item)
    {
        int index = _items.IndexOf(item);
        if (index < 0)
            return false;
        _items.RemoveAt(index);
        return true;
    }
}
