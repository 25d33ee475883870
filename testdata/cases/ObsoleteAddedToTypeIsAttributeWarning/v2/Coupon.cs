using System;

namespace Cases;

[Obsolete("Use Voucher instead")]
public class Coupon
{
    public decimal Apply(decimal total) => total * 0.85m;
}
