namespace Cases;

public class Order
{
    public int Number { get; init; }

    public decimal Total { get; init; }
}
