namespace Multi;

public static class Show
{
    public static string Line(int cents)
    {
        int[] digits = { 2, 7, 1, 8, 2, 8, 1, 8 };
        return Calc.Text(Calc.Units(cents)) + (digits[0] > 9 ? "?" : "") + " EUR";
    }
}
