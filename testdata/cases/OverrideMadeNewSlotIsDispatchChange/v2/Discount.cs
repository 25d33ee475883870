namespace Cases;

public class Discount
{
    public virtual decimal Apply(decimal price) => price;
}

public class MemberDiscount : Discount
{
    public new virtual decimal Apply(decimal price) => price * 0.95m;
}
