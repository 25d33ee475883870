namespace Cases;

public static class Text
{
    public static string? Trim(string? value)
    {
        return value?.Trim();
    }
}
