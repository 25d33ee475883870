using System;

namespace Cases;

public class Order : IComparable<Order>
{
    public int Number { get; init; }

    public int CompareNumbers(Order other) => Number.CompareTo(other.Number);

    public int CompareTo(Order? other) => other is null ? 1 : CompareNumbers(other);
}
