namespace Cases;

public class Discount
{
    public virtual decimal Apply(decimal price) => price;
}

public class SeasonalDiscount : Discount
{
    public override decimal Apply(decimal price) => price * 0.8m;
}
