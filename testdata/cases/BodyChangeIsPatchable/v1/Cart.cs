namespace Cases;

public class Cart
{
    private int _count;

    public int Total(int price)
    {
        return price * _count;
    }
}
