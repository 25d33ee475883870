namespace Cases;

public enum OrderStatus
{
    Placed = 1,
    Paid = 2,
    Shipped = 3,
}
