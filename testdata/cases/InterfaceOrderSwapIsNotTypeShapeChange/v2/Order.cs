using System;

namespace Cases;

public class Order : IEquatable<Order>, IComparable<Order>
{
    public int Number { get; init; }

    public int CompareTo(Order? other) => other is null ? 1 : Number.CompareTo(other.Number);

    public bool Equals(Order? other) => other is not null && other.Number == Number;
}
