namespace Cases;

public abstract record Shape;
public sealed record Circle(double Radius) : Shape;
public sealed record Rect(double Width, double Height) : Shape;

public static class Shapes
{
    public static double Area(Shape shape) => shape switch
    {
        Circle { Radius: > 0 } c => 3.14159 * c.Radius * c.Radius,
        Rect(var w, var h) => w * h,
        _ => 0,
    };

    public static string Size(double area) => area switch
    {
        < 1 => "small",
        < 100 => "medium",
        _ => "large",
    };
}
