namespace PatchGen.Macro.InProcess.StoreModel;

public sealed class CategoryStats
{
    public int Products { get; set; }

    public decimal Revenue { get; set; }

    public double AverageRating { get; set; }

    public List<int> TopProductIds { get; set; } = [];
}
