namespace Multi;

public static class Show
{
    public static string Line(int cents) => Calc.Units(cents) + " EUR";
}
