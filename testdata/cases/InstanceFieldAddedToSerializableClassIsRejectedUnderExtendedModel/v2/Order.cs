namespace Cases;

[System.Serializable]
public class Order
{
    private decimal _amount;
    private int _changes;

    public void Set(decimal amount)
    {
        _amount = amount;
        _changes++;
    }

    public decimal Amount => _amount;
}
