namespace Cases;

public class Greeting
{
    private readonly string _name;

    public Greeting(string name) => _name = name;

    public string Text() => "Hello, " + _name.Trim() + "!";
}
