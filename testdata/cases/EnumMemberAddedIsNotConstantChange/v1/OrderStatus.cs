namespace Cases;

public enum OrderStatus
{
    Placed = 1,
    Paid = 2,
    Shipped = 3,
}

public static class Workflow
{
    public static bool IsOpen(OrderStatus status) => status != OrderStatus.Shipped;
}
