namespace Cases;

public class Discount
{
    public decimal Apply(decimal price) => price * 0.9m;
}
