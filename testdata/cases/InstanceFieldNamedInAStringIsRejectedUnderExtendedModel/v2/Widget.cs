using System.Reflection;

namespace Cases;

public class Widget
{
    private int _version;

    public void Bump() => _version++;

    public string Describe()
        => "widget " + typeof(Widget).GetField(nameof(_version), BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(this);
}
