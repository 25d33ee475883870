namespace Cases;

public class Checkout
{
    public decimal Total(decimal subtotal)
    {
        return subtotal;
    }
}
