namespace Cases;

public enum ShippingPriority : int
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
