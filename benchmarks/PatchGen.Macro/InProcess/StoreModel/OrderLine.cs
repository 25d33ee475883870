namespace PatchGen.Macro.InProcess.StoreModel;

public sealed class OrderLine
{
    public string Sku { get; set; } = "";

    public string Description { get; set; } = "";

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }

    public double DiscountRate { get; set; }
}
