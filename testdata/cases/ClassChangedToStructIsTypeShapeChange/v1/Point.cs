namespace Cases;

public class Coordinates
{
    public double Latitude;
    public double Longitude;

    public bool IsOrigin() => Latitude == 0 && Longitude == 0;
}
