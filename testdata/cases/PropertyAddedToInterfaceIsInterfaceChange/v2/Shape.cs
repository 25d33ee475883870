namespace Cases;

public interface IParcel
{
    decimal WeightKg { get; }

    string TrackingCode { get; }
}
