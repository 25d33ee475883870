namespace PatchGen.Macro.InProcess.StoreModel;

public sealed class Order
{
    public long Number { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    public OrderStatus Status { get; set; }

    public decimal Total { get; set; }

    public List<OrderLine> Lines { get; set; } = [];

    public string? Comment { get; set; }

    public string[] Tags { get; set; } = [];
}
