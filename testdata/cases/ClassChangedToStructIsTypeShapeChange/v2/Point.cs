namespace Cases;

public struct Coordinates
{
    public double Latitude;
    public double Longitude;

    public bool IsOrigin() => Latitude == 0 && Longitude == 0;
}
