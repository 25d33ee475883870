// Split("a - b  c"): v2's local function Keep also drops "-" tokens.
public static class Probe
{
    public static string Run() => string.Join(",", Cases.Tokenizer.Split("a - b  c"));
}
