namespace Cases;

public enum OrderStatus
{
    Placed = 1,
    Paid = 2,
    Shipped = 3,
    Cancelled = 4,
}

public static class Workflow
{
    public static bool IsOpen(OrderStatus status) => status != OrderStatus.Shipped && status != OrderStatus.Cancelled;
}
