namespace Cases;

public struct Point
{
    public double X;
    public double Y;
}

public static class Geometry
{
    public static double DistanceSquared(in Point a, in Point b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y;
        return dx * dx + dy * dy;
    }
}
