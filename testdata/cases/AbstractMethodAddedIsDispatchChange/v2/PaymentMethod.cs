namespace Cases;

public abstract class PaymentMethod
{
    public abstract bool Charge(decimal amount);

    public abstract bool Refund(decimal amount);
}

public sealed class CardPayment : PaymentMethod
{
    public override bool Charge(decimal amount) => amount < 1000m;

    public override bool Refund(decimal amount) => true;
}
