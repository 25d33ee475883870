// Checks strings of length 3, 4 and 6 with a new Validator: v2's rule needs more than 5 characters instead of 3.
public static class Probe
{
    public static string Run()
    {
        var v = new Cases.Validator();
        return v.Check("abc") + " " + v.Check("abcd") + " " + v.Check("abcdef");
    }
}
