namespace Cases;

public struct GeoPoint
{
    public double Latitude;
    public double Longitude;

    public override string ToString() => $"{Latitude},{Longitude}";
}
