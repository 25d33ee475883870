namespace Cases;

public class Discount
{
    public virtual decimal Apply(decimal price) => price * 0.9m;
}
