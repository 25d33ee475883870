// Area of a unit circle (3.14159 in v1, Math.PI in v2) and Size of 150 ("large" in v1, "medium" in v2).
using System.Globalization;

public static class Probe
{
    public static string Run()
        => Cases.Shapes.Area(new Cases.Circle(1)).ToString("R", CultureInfo.InvariantCulture) + " "
            + Cases.Shapes.Area(new Cases.Rect(2, 3)).ToString("R", CultureInfo.InvariantCulture) + " "
            + Cases.Shapes.Size(0.5) + "," + Cases.Shapes.Size(50) + "," + Cases.Shapes.Size(150) + "," + Cases.Shapes.Size(300);
}
