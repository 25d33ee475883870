using System.Reflection;

namespace Cases;

public static class Settings
{
    private static int _timeout = 30;

    public static string Describe()
        => "settings: " + typeof(Settings).GetField(nameof(_timeout), BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null);
}
