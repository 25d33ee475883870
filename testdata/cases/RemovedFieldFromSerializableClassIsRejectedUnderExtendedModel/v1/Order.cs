namespace Cases;

[System.Serializable]
public class Order
{
    private decimal _amount;
    private int _revision;

    public void Set(decimal amount, string note)
    {
        _amount = amount;
        _revision++;
    }

    public decimal Amount => _amount;
}
