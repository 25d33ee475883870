namespace Cases;

public struct GeoPoint
{
    public double Longitude;
    public double Latitude;

    public override string ToString() => $"{Latitude},{Longitude}";
}
