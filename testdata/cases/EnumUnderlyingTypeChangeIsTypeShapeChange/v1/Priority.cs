namespace Cases;

public enum ShippingPriority : byte
{
    Economy = 1,
    Standard = 2,
    Express = 3,
}

public struct Parcel
{
    public ShippingPriority Priority;
    public int WeightGrams;
}
