namespace Cases;

public class Checkout
{
    public decimal Total(decimal subtotal)
    {
        return subtotal + LegacySurcharge(subtotal);
    }

    public decimal LegacySurcharge(decimal subtotal)
    {
        return subtotal > 100m ? 0m : 4.99m;
    }
}
