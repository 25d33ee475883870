namespace PatchGen.Macro.InProcess.StoreModel;

public enum OrderStatus
{
    Pending,
    Paid,
    Shipped,
    Delivered,
    Returned,
}
