namespace Cases;

public interface IParcel
{
    decimal WeightKg { get; }
}
