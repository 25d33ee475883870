namespace Golden;

// A static method: the dispatch block passes the arguments only; a stub of the same erased
// signature (int32, int32, int32) is shared by every method that needs one.
public static class Pricing
{
    public static int Discount(int total, int percent)
    {
        if (percent < 0 || percent > 100)
            return total;
        return total - total * percent / 100;
    }

    public static int Surcharge(int total, int percent)
    {
        if (percent <= 0)
            return total;
        return total + total * percent / 100;
    }
}
