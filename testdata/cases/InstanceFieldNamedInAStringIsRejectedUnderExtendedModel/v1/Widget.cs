namespace Cases;

public class Widget
{
    public string Describe() => "widget";
}
