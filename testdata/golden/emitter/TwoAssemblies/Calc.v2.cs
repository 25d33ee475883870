namespace Multi;

public static class Calc
{
    public static int Units(int cents) => cents;

    public static string Text(int cents)
    {
        int[] digits = { 3, 1, 4, 1, 5, 9, 2, 6 };
        return (cents / 100) + "." + (cents % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture) + (digits[0] > 9 ? "?" : "");
    }
}
