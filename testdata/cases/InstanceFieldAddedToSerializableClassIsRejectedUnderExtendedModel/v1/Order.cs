namespace Cases;

[System.Serializable]
public class Order
{
    private decimal _amount;

    public void Set(decimal amount) => _amount = amount;

    public decimal Amount => _amount;
}
