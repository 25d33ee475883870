namespace Cases;

public static class OrderNumber
{
    public static bool TryParse(string text, out int number)
    {
        number = 0;
        foreach (var c in text)
        {
            if (c < '0' || c > '9')
                return false;
            number = number * 10 + (c - '0');
        }
        return text.Length > 0;
    }
}
