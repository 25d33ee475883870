namespace Cases;

public class Order
{
    public int Number { get; init; }

    public int CompareNumbers(Order other) => Number.CompareTo(other.Number);
}
