// Next() advances a ref struct's position by 1 in v1, by 2 in v2.
public static class Probe
{
    public static string Run()
    {
        var tokenizer = new Cases.Tokenizer(10);
        tokenizer.Next();
        return tokenizer.Next().ToString();
    }
}
