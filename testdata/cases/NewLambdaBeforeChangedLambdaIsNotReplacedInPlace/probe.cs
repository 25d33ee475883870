public static class Probe
{
    public static string Run()
        => string.Join(",", new Cases.Lists().Pick(new() { "ab", "ba", "bab", "c" }, "b"));
}
