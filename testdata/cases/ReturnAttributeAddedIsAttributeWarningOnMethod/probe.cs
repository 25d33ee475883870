// Text.Trim: v1 trims, v2 also lower-cases (the return attribute added in v2 is not observed).
public static class Probe
{
    public static string Run() => "[" + Cases.Text.Trim("  Hello World ") + "] [" + (Cases.Text.Trim(null) ?? "<null>") + "]";
}
