using System.ComponentModel;

namespace Cases;

public class Report
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string Title(string name)
    {
        return "Report: " + name;
    }
}
