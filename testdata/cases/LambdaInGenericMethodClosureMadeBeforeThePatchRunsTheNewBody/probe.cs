// Matchers made at the first run, before the patch, over a reference and a value type: with the
// patch they run v2's body (a generic closure of the base, a generic replacement).
public static class Probe
{
    private static System.Func<string?, bool>? _text;
    private static System.Func<int?, bool>? _number;

    public static string Run()
    {
        _text ??= Cases.Matchers.EqualTo<string?>("a");
        _number ??= Cases.Matchers.EqualTo<int?>(1);
        return _text("a") + "," + _text(null) + "," + _number(1) + "," + _number(null);
    }
}
