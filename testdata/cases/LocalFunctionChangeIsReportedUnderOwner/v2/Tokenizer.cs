using System.Collections.Generic;

namespace Cases;

public static class Tokenizer
{
    public static List<string> Split(string text)
    {
        var tokens = new List<string>();
        foreach (var part in text.Split(' '))
        {
            if (Keep(part))
                tokens.Add(part);
        }
        return tokens;

        static bool Keep(string token)
        {
            return token.Length > 0 && token != "-";
        }
    }
}
