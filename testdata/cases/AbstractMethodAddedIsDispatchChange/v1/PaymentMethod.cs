namespace Cases;

public abstract class PaymentMethod
{
    public abstract bool Charge(decimal amount);
}

public sealed class CardPayment : PaymentMethod
{
    public override bool Charge(decimal amount) => amount < 1000m;
}
