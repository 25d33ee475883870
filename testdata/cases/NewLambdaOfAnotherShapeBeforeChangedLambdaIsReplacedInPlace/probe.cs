// A filter made at the first run, before the patch: with the patch it runs v2's body, although the
// new lambda before it took its ordinal.
public static class Probe
{
    private static System.Func<string, bool>? _early;

    public static string Run()
    {
        _early ??= new Cases.Filters().Make("a");
        var now = new Cases.Filters().Make("a");
        return _early("ab") + "," + _early("ba") + " / " + now("ab") + "," + now("ba");
    }
}
