namespace Cases;

public class Inventory
{
    private int _stock = 100;

    public bool Reserve(int quantity)
    {
        if (quantity > _stock)
            return false;
        _stock -= quantity;
        return true;
    }
}
