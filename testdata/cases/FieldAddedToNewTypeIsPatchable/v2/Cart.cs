namespace Cases;

public class Cart
{
    private decimal _subtotal;

    public void Add(decimal price) => _subtotal += price;

    public decimal Total() => new Coupon(5m).ApplyTo(_subtotal);
}

public class Coupon
{
    private readonly decimal _amount;

    public Coupon(decimal amount) => _amount = amount;

    public decimal ApplyTo(decimal total) => total > _amount ? total - _amount : 0m;
}
