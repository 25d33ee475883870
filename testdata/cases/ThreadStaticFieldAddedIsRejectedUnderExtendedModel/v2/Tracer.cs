namespace Cases;

public static class Tracer
{
    [System.ThreadStatic]
    private static int _depth;

    public static string Enter(string name) => new string(' ', _depth++) + "> " + name;
}
