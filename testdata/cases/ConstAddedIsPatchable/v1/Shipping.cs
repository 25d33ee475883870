namespace Cases;

public class Shipping
{
    public decimal Cost(decimal total) => total >= 40m ? 0m : 4.90m;
}
