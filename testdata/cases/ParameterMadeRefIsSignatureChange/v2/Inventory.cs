namespace Cases;

public class Inventory
{
    private int _stock = 100;

    public bool Reserve(ref int quantity)
    {
        if (quantity > _stock)
            quantity = _stock;
        _stock -= quantity;
        return true;
    }
}
