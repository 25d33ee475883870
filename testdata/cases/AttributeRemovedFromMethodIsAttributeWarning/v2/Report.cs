using System.ComponentModel;

namespace Cases;

public class Report
{
    public string Title(string name)
    {
        return "Report: " + name;
    }
}
