using System;

namespace Cases;

public class Coupon
{
    public decimal Apply(decimal total) => total * 0.9m;
}
