namespace Cases;

public static class Settings
{
    public static string Describe() => "settings";
}
