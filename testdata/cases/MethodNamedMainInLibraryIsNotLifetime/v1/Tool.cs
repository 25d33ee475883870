namespace Cases;

public static class Tool
{
    // Called Main, but this library has no entry point: an ordinary method.
    public static string Main(string[] args) => "run " + args.Length;
}
