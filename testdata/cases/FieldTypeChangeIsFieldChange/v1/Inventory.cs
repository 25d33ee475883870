namespace Cases;

public class Inventory
{
    private int _stock;

    public void Receive(int quantity) => _stock += quantity;

    public bool InStock => _stock > 0;
}
