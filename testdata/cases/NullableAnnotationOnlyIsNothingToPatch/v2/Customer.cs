namespace Cases;

public class Customer
{
    private string _name = "";

    public string Greeting(string? title)
    {
        return title + " " + _name;
    }

    public void Rename(string name)
    {
        _name = name;
    }
}
