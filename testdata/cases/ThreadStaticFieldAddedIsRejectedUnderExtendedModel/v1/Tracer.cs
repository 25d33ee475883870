namespace Cases;

public static class Tracer
{
    public static string Enter(string name) => "> " + name;
}
